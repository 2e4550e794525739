"""Generate a realistic synthetic corpus: news-like documents with publishers, dates and claims.

Every place, outlet, group and person here is invented. Documents read like
short wire reports; each claim is built together with its sentence, so its
span slices back to its quote exactly (``text[start:end] == quote``), and
claims of every kind appear (casualties killed/injured, force sizes, dates,
durations, other figures) with ranges, "at least", "up to", hedged and vague
figures, attributions and subjects in realistic proportions. A verdict mix
(most claims unreviewed, the rest spread over the other verdicts, several
reviewers) can be applied after storing.

Deterministic for a given seed, generated lazily in batches, so the same
generator fills a 100,000-claim store for the dashboard benchmark and can
stream a 1,000,000-claim one without holding it in memory::

    from testkit.corpus import fill
    report = fill(store, claims=100_000, seed=1)
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from claims.model import Claim, ClaimRecord, DocumentIn, Kind, Outcome, Verdict

EXTRACTOR_VERSION = "synthetic-1"

PUBLISHERS: tuple[tuple[str, str], ...] = (
    ("The Marrach Courier", "marrach-courier.example"), ("Ostravia Wire", "ostravia-wire.example"),
    ("Northgate Daily", "northgate-daily.example"), ("Harbour Radio", "harbour-radio.example"),
    ("Vell Valley Tribune", "vellvalley-tribune.example"), ("The Kestrel Observer", "kestrel-observer.example"),
    ("Brenn Herald", "brenn-herald.example"), ("Lowland Press Agency", "lowland-press.example"),
    ("Cinder Bay Gazette", "cinderbay-gazette.example"), ("Eastmark Today", "eastmark-today.example"),
    ("The Solen Post", "solen-post.example"), ("Radio Dunmere", "radio-dunmere.example"),
    ("Ashford Evening News", "ashford-evening.example"), ("Tamsin Broadcast", "tamsin-broadcast.example"),
    ("Greyhaven Ledger", "greyhaven-ledger.example"), ("The Upland Chronicle", "upland-chronicle.example"),
    ("Marrow Street Journal", "marrow-street.example"), ("Pell Coast Times", "pellcoast-times.example"),
    ("Independent Ostravian", "independent-ostravian.example"), ("Frontier Monitor", "frontier-monitor.example"),
    ("Calder News Service", "calder-news.example"), ("Rivermouth Bulletin", "rivermouth-bulletin.example"),
    ("The Varga Dispatch", "varga-dispatch.example"), ("Silt Plains Record", "siltplains-record.example"),
    ("Irongate Online", "irongate-online.example"), ("Meridian Newswire", "meridian-newswire.example"),
    ("The Highmoor Voice", "highmoor-voice.example"), ("Quarry Hill Weekly", "quarryhill-weekly.example"),
    ("Stellan Public Radio", "stellan-radio.example"), ("The Border Sentinel", "border-sentinel.example"),
)

TOWNS = ("Kestrel Ford", "Dunmere", "Ashford Cross", "Vellmouth", "Tarn Hollow", "Brenwick", "Solen Gate",
         "Pellbridge", "Cinder Bay", "Marrow End", "Greyhaven", "Highmoor", "Quarry Hill", "Irongate",
         "Calder Wells", "Rivermouth", "Stellan", "Upland Rise", "Eastmark", "Silt Crossing")
PROVINCES = ("Low Marrach", "Upper Ostravia", "the Vell Valley", "the Pell Coast", "Northgate province",
             "the Brenn uplands", "the Solen delta")
GROUPS = ("Brennic Liberation Front", "Vell Valley Brigades", "Northern Resistance Council",
          "Solen Defence Committee", "Highmoor Militia", "Red Quarry Faction")
OFFICIALS = ("Anselm Varga", "Mira Castellan", "Oskar Drell", "Tova Renn", "Idris Pellam", "Hana Morrow",
             "Lucan Ashby", "Petra Voss", "Emeric Solt", "Nadia Kerr")
BODIES = ("the provincial health ministry", "police", "the interior ministry", "a UN report", "hospital officials",
          "the army", "a local rights group", "the Red Crescent", "the regional governor's office",
          "a security assessment")
EVENTS = ("a bombing at a market", "an attack on a police post", "a roadside blast", "clashes near the border",
          "an ambush on a convoy", "a suicide attack at a checkpoint", "shelling of the old town",
          "a raid on a village", "an attack on a bus station", "a drone strike")
EVENT_HEADLINE = {
    "a bombing at a market": "market bombing", "an attack on a police post": "police post attack",
    "a roadside blast": "roadside blast", "clashes near the border": "border clashes",
    "an ambush on a convoy": "convoy ambush", "a suicide attack at a checkpoint": "checkpoint attack",
    "shelling of the old town": "shelling", "a raid on a village": "village raid",
    "an attack on a bus station": "bus station attack", "a drone strike": "drone strike",
}
HEADLINES = ("Deadly {what} in {town}", "Toll rises after {what} in {town}", "{town}: {what} leaves many dead",
             "Officials give figures after {what} in {town}", "Fresh {what} hits {province}",
             "{what} in {town} draws condemnation")
VICTIMS = ("people", "civilians", "soldiers", "police officers", "children", "militants", "fighters", "workers",
           "pilgrims", "villagers", "security personnel", "passengers")
FORCES = ("fighters", "militants", "troops", "members", "gunmen", "soldiers", "paramilitaries")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten", 11: "eleven", 12: "twelve"}
FILLER = (
    "Residents described scenes of panic as shops closed early.",
    "The area was sealed off while investigators collected evidence.",
    "No group immediately claimed responsibility.",
    "Officials said the investigation was continuing.",
    "Witnesses said they heard a loud explosion before the shooting began.",
    "Talks between the two sides have stalled since the spring.",
    "Schools in the district were closed for the rest of the week.",
    "The government condemned the attack and promised a full inquiry.",
    "Aid agencies said access to the area remained difficult.",
    "Local traders said business had not recovered since the last attack.",
)

# Share of claims per verdict once reviewed: most of a real queue is still unreviewed.
VERDICT_MIX: tuple[tuple[Verdict, float], ...] = (
    (Verdict.UNREVIEWED, 0.55), (Verdict.VERIFIED, 0.20), (Verdict.DISPUTED, 0.08), (Verdict.FALSE, 0.04),
    (Verdict.UNVERIFIABLE, 0.08), (Verdict.NOT_A_CLAIM, 0.05),
)
REVIEWERS = ("amina", "bruno", "chen", "dalia", "eero")


class _Writer:
    """Build a text piece by piece, recording claims at the offsets where their quotes land."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.claims: list[Claim] = []
        self._sentence_start = 0
        self._pending: list[dict] = []

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def claim(self, quote: str, kind: Kind, **fields) -> None:
        self._pending.append(dict(kind=kind, start=self.pos, end=self.pos + len(quote), quote=quote, **fields))
        self.add(quote)

    def begin_sentence(self) -> None:
        self._sentence_start = self.pos
        self._pending = []

    def end_sentence(self) -> None:
        sentence = "".join(self.parts)[self._sentence_start:self.pos]
        for f in self._pending:
            self.claims.append(Claim(sentence=sentence, **f))
        self._pending = []

    def text(self) -> str:
        return "".join(self.parts)


def _num(n: int) -> str:
    return f"{n:,}"


def _casualty_figure(rng: random.Random, *, big: bool = False) -> tuple[str, dict]:
    """Return the figure words and their low/high/approximate fields, across the guideline's shapes."""
    n = rng.choice((rng.randint(1, 40), rng.randint(1, 12), rng.randint(10, 300)))
    if big:
        n = rng.randint(100, 5000)
    shape = rng.random()
    if shape < 0.45:
        word = NUMBER_WORDS.get(n) if n <= 12 and rng.random() < 0.5 else _num(n)
        return word, dict(low=float(n), high=float(n))
    if shape < 0.65:
        return f"at least {_num(n)}", dict(low=float(n), high=None)
    if shape < 0.72:
        return f"more than {_num(n)}", dict(low=float(n), high=None)
    if shape < 0.78:
        return f"up to {_num(n)}", dict(low=None, high=float(n))
    if shape < 0.88:
        return f"around {_num(n)}", dict(low=float(n), high=float(n), approximate=True)
    if shape < 0.95:
        a = max(1, n - rng.randint(1, max(2, n // 4)))
        return f"between {_num(a)} and {_num(n)}", dict(low=float(a), high=float(n))
    word, lo, hi = rng.choice((("dozens of", 24, 99), ("scores of", 40, 99), ("several", 3, 9), ("a few", 2, 5)))
    return word, dict(low=float(lo), high=float(hi), approximate=True)


def _attribution(rng: random.Random) -> tuple[str, str]:
    """Return (the words that close a sentence, the name the claim is attributed to)."""
    if rng.random() < 0.5:
        who = rng.choice(OFFICIALS)
        return f", {who} said", who
    body = rng.choice(BODIES)
    if body.startswith("a "):
        return f", according to {body}", body[2:]
    return f", {body} said", body.removeprefix("the ")


def _sentence_casualties(w: _Writer, rng: random.Random, town: str, event: str, published: dt.date) -> None:
    fig, f = _casualty_figure(rng)
    victim = rng.choice(VICTIMS)
    outcome = Outcome.KILLED if rng.random() < 0.68 else Outcome.INJURED
    verb = rng.choice(("were killed", "died", "lost their lives")) if outcome is Outcome.KILLED else \
        rng.choice(("were wounded", "were injured", "were hurt"))
    closing, who = _attribution(rng)
    attributed = who if rng.random() < 0.85 else None
    if not attributed:
        closing = ""
    quote = f"{fig} {victim}"
    w.begin_sentence()
    if rng.random() < 0.6:
        w.claim(quote[0].upper() + quote[1:], Kind.CASUALTIES, outcome=outcome, subject=victim,
                attributed_to=attributed, rule="synthetic.casualties.lead", **f)
        w.add(f" {verb} in {event} in {town}{closing}.")
    else:
        w.add(f"{event[0].upper() + event[1:]} in {town} left ")
        w.claim(quote, Kind.CASUALTIES, outcome=outcome, subject=victim, attributed_to=attributed,
                rule="synthetic.casualties.left", **f)
        w.add(f" {'dead' if outcome is Outcome.KILLED else 'injured'}{closing}.")
    w.end_sentence()


def _sentence_toll_with_date(w: _Writer, rng: random.Random, town: str, published: dt.date) -> None:
    n = rng.randint(5, 400)
    day = published - dt.timedelta(days=rng.randint(1, 25))
    closing, who = _attribution(rng)
    w.begin_sentence()
    w.add(f"The death toll from the attack in {town} on ")
    w.claim(f"{MONTHS[day.month - 1]} {day.day}", Kind.DATE, date=day.isoformat(), rule="synthetic.date.month_day")
    w.add(" rose to ")
    w.claim(_num(n), Kind.CASUALTIES, low=float(n), high=float(n), outcome=Outcome.KILLED,
            attributed_to=who, rule="synthetic.casualties.toll")
    w.add(f"{closing}.")
    w.end_sentence()


def _sentence_force(w: _Writer, rng: random.Random, province: str) -> None:
    group = rng.choice(GROUPS)
    force = rng.choice(FORCES)
    n = rng.choice((rng.randint(50, 900), rng.randint(1000, 20000) // 100 * 100))
    closing, who = _attribution(rng)
    w.begin_sentence()
    shape = rng.random()
    if shape < 0.4:
        w.add(f"The {group} is believed to have ")
        w.claim(f"around {_num(n)} {force}", Kind.FORCE_SIZE, low=float(n), high=float(n), approximate=True,
                subject=force, attributed_to=who, rule="synthetic.force.around")
        w.add(f" in {province}{closing}.")
    elif shape < 0.7:
        a = n // 2 // 50 * 50 or 50
        w.claim(f"Between {_num(a)} and {_num(n)} {force}", Kind.FORCE_SIZE, low=float(a), high=float(n),
                subject=force, attributed_to=who, rule="synthetic.force.between")
        w.add(f" of the {group} operate in {province}{closing}.")
    else:
        w.add("Officials said ")
        w.claim(f"{_num(n)} {force}", Kind.FORCE_SIZE, low=float(n), high=float(n), subject=force,
                attributed_to=None, rule="synthetic.force.deployed")
        w.add(f" had been deployed across {province}.")
    w.end_sentence()


def _sentence_duration(w: _Writer, rng: random.Random, province: str) -> None:
    w.begin_sentence()
    if rng.random() < 0.5:
        n = rng.randint(2, 20)
        w.add(f"The {rng.choice(GROUPS)} has fought the government of {province} for the last ")
        w.claim(f"{n} years", Kind.DURATION, duration=f"P{n}Y", rule="synthetic.duration.years")
        w.add(".")
    else:
        n = rng.choice((1, 2, 3, 7, 10, 14, 30))
        unit, iso = (("day", f"P{n}D"), ("week", f"P{n}W"), ("month", f"P{n}M"))[rng.randint(0, 2)]
        w.add("Authorities imposed a ")
        w.claim(f"{NUMBER_WORDS.get(n, str(n))}-{unit}", Kind.DURATION, duration=iso, rule="synthetic.duration.curfew")
        w.add(f" curfew across {province}.")
    w.end_sentence()


def _sentence_figure(w: _Writer, rng: random.Random, town: str) -> None:
    w.begin_sentence()
    if rng.random() < 0.5:
        n = rng.randint(20, 3000)
        w.add("Aid workers said ")
        w.claim(f"{_num(n)} families", Kind.FIGURE, low=float(n), high=float(n), subject="families",
                unit="families", attributed_to="aid workers", rule="synthetic.figure.displaced")
        w.add(f" had fled {town}.")
    else:
        n = rng.randint(1, 90)
        w.add("The government pledged ")
        w.claim(f"{n} million dollars", Kind.FIGURE, low=float(n * 1_000_000), high=float(n * 1_000_000),
                unit="USD", rule="synthetic.figure.money")
        w.add(f" for reconstruction in {town}.")
    w.end_sentence()


def _sentence_year(w: _Writer, rng: random.Random, town: str, published: dt.date) -> None:
    year = published.year - rng.randint(1, 12)
    w.begin_sentence()
    w.add(f"A similar attack in {town} in ")
    w.claim(str(year), Kind.DATE, date=str(year), rule="synthetic.date.year")
    w.add(" killed ")
    n = rng.randint(3, 150)
    w.claim(_num(n), Kind.CASUALTIES, low=float(n), high=float(n), outcome=Outcome.KILLED,
            rule="synthetic.casualties.past")
    w.add(" people.")
    w.end_sentence()


def make_document(rng: random.Random, *, target_claims: int, published: dt.date,
                  publisher: tuple[str, str], serial: int, seed: int = 0) -> tuple[DocumentIn, list[Claim]]:
    """Return one synthetic article with about ``target_claims`` claims (at least one)."""
    town, province, event = rng.choice(TOWNS), rng.choice(PROVINCES), rng.choice(EVENTS)
    w = _Writer()
    title = rng.choice(HEADLINES).format(town=town, province=province, what=EVENT_HEADLINE[event])
    title = title[0].upper() + title[1:]
    w.add(f"{title}\n\n{town.upper()} — ")
    builders: list[Callable[[], None]] = [
        lambda: _sentence_casualties(w, rng, town, event, published),
        lambda: _sentence_casualties(w, rng, town, event, published),
        lambda: _sentence_toll_with_date(w, rng, town, published),
        lambda: _sentence_force(w, rng, province),
        lambda: _sentence_duration(w, rng, province),
        lambda: _sentence_figure(w, rng, town),
        lambda: _sentence_year(w, rng, town, published),
    ]
    in_paragraph = 0
    while len(w.claims) < target_claims:
        rng.choice(builders)()
        in_paragraph += 1
        if rng.random() < 0.3:
            w.add(" " + rng.choice(FILLER))
        if in_paragraph >= rng.randint(2, 4):
            w.add("\n\n")
            in_paragraph = 0
        else:
            w.add(" ")
    if w.parts[-1] in (" ", "\n\n"):  # no trailing blank before the closing paragraph
        w.pos -= len(w.parts.pop())
    w.add(f"\n\n{rng.choice(FILLER)}\n")
    doc = DocumentIn(text=w.text(), title=title, publisher=publisher[0],
                     url=f"https://{publisher[1]}/{published:%Y/%m/%d}/story-{seed}-{serial}",
                     published=published, filename=f"synthetic-{seed}-{serial:07d}.txt")
    return doc, w.claims


def documents(*, claims: int, seed: int = 0, per_document: tuple[int, int] = (4, 16),
              start: dt.date = dt.date(2027, 1, 1), days: int = 5 * 365) -> Iterator[tuple[DocumentIn, list[Claim]]]:
    """Yield (document, claims) pairs until about ``claims`` claims have been produced.

    Publishers follow a long-tailed distribution (a few big outlets, many
    small ones), publication dates spread over ``days`` days from ``start``.
    """
    rng = random.Random(seed)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(PUBLISHERS))]
    made = 0
    serial = 0
    while made < claims:
        publisher = rng.choices(PUBLISHERS, weights=weights)[0]
        published = start + dt.timedelta(days=rng.randrange(days))
        target = min(rng.randint(*per_document), claims - made)
        doc, found = make_document(rng, target_claims=max(1, target), published=published,
                                   publisher=publisher, serial=serial, seed=seed)
        serial += 1
        made += len(found)
        yield doc, found


def verdict_for(rng: random.Random) -> Verdict:
    """Draw a verdict from :data:`VERDICT_MIX`."""
    r = rng.random()
    acc = 0.0
    for v, share in VERDICT_MIX:
        acc += share
        if r < acc:
            return v
    return VERDICT_MIX[-1][0]


@dataclass(slots=True)
class FillReport:
    """What :func:`fill` stored and how long it took."""

    documents: int = 0
    claims: int = 0
    reviews: int = 0
    seconds_documents: float = 0.0
    seconds_reviews: float = 0.0


def fill(store, *, claims: int = 100_000, seed: int = 0, review: bool = True,
         progress: Callable[[int], None] | None = None) -> FillReport:
    """Store a synthetic corpus of about ``claims`` claims in ``store`` and review a realistic share of them.

    Documents go in through ``Store.add_document`` (one transaction each);
    reviews through ``Store.review`` so their history is written as it
    would be by reviewers. ``progress`` is called with the number of claims stored so far.
    """
    report = FillReport()
    rng = random.Random(seed + 1)
    t0 = time.perf_counter()
    doc_ids: list[int] = []
    for doc, found in documents(claims=claims, seed=seed):
        doc_id, created = store.add_document(doc, found, extractor_version=EXTRACTOR_VERSION)
        if created:
            report.documents += 1
            report.claims += len(found)
            doc_ids.append(doc_id)
        if progress:
            progress(report.claims)
    report.seconds_documents = time.perf_counter() - t0
    if review:
        t0 = time.perf_counter()
        for doc_id in doc_ids:
            for rec in store.claims_for_document(doc_id):
                verdict = verdict_for(rng)
                if verdict is Verdict.UNREVIEWED:
                    continue
                note = "Matches the hospital list." if verdict is Verdict.VERIFIED and rng.random() < 0.3 else None
                store.review(rec.id, verdict=verdict, reviewer=rng.choice(REVIEWERS), note=note)
                report.reviews += 1
        report.seconds_reviews = time.perf_counter() - t0
    analyze = getattr(store, "analyze", None)
    if analyze is not None:  # fresh planner statistics: a bulk fill changes which indexes pay off
        analyze()
    return report


def synthetic_records(*, claims: int, seed: int) -> list[ClaimRecord]:
    """Return about ``claims`` synthetic stored-claim records with document metadata."""
    out: list[ClaimRecord] = []
    for doc_id, (doc, found) in enumerate(documents(claims=claims, seed=seed), start=1):
        for c in found:
            out.append(ClaimRecord(
                id=len(out) + 1, document_id=doc_id, fingerprint=c.fingerprint(doc.content_hash),
                extractor_version="synthetic", claim=c, title=doc.title, url=doc.url,
                publisher=doc.publisher, published=doc.published, filename=doc.filename,
            ))
    return out
