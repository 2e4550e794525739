"""FICTIONAL multi-outlet coverage for grouping, read end to end (extractor, then grouping).

Every place, person, armed group and outlet here is INVENTED (no real event): one village raid
reported by a wire, a radio bulletin, a West African daily, a UK tabloid and, two years later, a
long read; a raid on another village the same week; and the strength of two armed groups stated in
reports of different years; and (BOMBING) a bus terminal bombing with its own outlets, anniversary
piece and armed groups. The articles are written in the styles of those outlets, each with its
own wording, sources and figures, as issue 13's failure classes describe them:

1. parts and totals of one event: "35 persons were killed at the scene" inside a toll of 37, a
   hospital's own count of wounded, soldiers and civilians among the dead, children among them;
2. (a) one attack's toll across outlets and days ("at least 31", "33", "37", "39") and in a
   background paragraph years later ("put the death toll at 41"); (b) one armed group's strength
   across reports and years, and another group's that must never join it.

Each document lists the claims that carry a ``fact`` label: (quote, kind, fact), a quote's
n-th occurrence written ``quote#n``. Equal labels state one real-world quantity; a label of None is
a fact no other claim states. :func:`extracted` runs the extractor on every text and returns
ClaimRecords (as a store would hold them), the document openings grouping reads as headlines, and
the label of each labelled record, matched by kind and overlapping span as the eval scorer does.
"""
from __future__ import annotations

import datetime as dt
import functools
from itertools import combinations

from claims.model import ClaimRecord, content_hash

D = dt.date
K, F = "casualties", "force_size"

# (outlet, published, text, [(quote, kind, fact)])
DOCS: list[tuple[str, dt.date, str, list[tuple[str, str, str | None]]]] = [
    ("Meridian Wire", D(2031, 4, 16),
     "Gunmen kill at least 31 in raid on Dalamba village\n\n"
     "DALAMBA, Upper Sombe, April 16 (Meridian) - Gunmen on motorcycles killed at least 31 people in an "
     "overnight raid on Dalamba village in the Kere district of Upper Sombe state, officials said on Wednesday.\n\n"
     "At least 18 people were wounded in the attack, which began late on Tuesday, said Amadou Sesay, a Kere "
     "district official. Three soldiers were killed when the attackers ambushed an army patrol on the road "
     "into the village, an army spokesman said.\n\n"
     "No group has claimed responsibility. The Ombessa Liberation Army, which security sources estimate has "
     "between 3,000 and 3,500 fighters, has carried out similar raids in Upper Sombe since 2028.\n\n"
     "(Reporting by Ines Moro; Editing by Carl Hedd)",
     [("at least 31 people", K, "dalamba-killed"), ("At least 18 people", K, "dalamba-injured"),
      ("Three soldiers", K, "dalamba-killed-soldiers"),
      ("between 3,000 and 3,500 fighters", F, "ola-strength")]),
    ("Radio Sombe", D(2031, 4, 16),
     "Upper Sombe: 33 killed in Dalamba attack\n\n"
     "Thirty-three people were killed and 25 injured when bandits attacked Dalamba in Kere district on "
     "Tuesday night, the state government said in a statement on Wednesday. Governor Bala Ndu condemned the "
     "attack and ordered more troops to the area.",
     [("Thirty-three people", K, "dalamba-killed"), ("25", K, "dalamba-injured")]),
    ("Meridian Wire", D(2031, 4, 17),
     "Gunmen kill 12 in second Upper Sombe village attack\n\n"
     "SESSE, Upper Sombe, April 17 (Meridian) - Gunmen killed 12 people in the village of Tombali in Sesse "
     "district on Thursday, two days after a raid on nearby Dalamba killed at least 31, local officials said.\n\n"
     "Five people were wounded, said district chairman Peter Obi.",
     [("12 people", K, "tombali-killed"), ("at least 31", K, "dalamba-killed"),
      ("Five people", K, "tombali-injured")]),
    ("The Kere Chronicle", D(2031, 4, 18),
     "Dalamba attack: Death toll rises to 37 - Police\n\n"
     "The death toll from Tuesday night's attack on Dalamba community in Kere Local Government Area of Upper "
     "Sombe State has risen to 37, the State Police Command has confirmed.\n\n"
     "The Police Public Relations Officer, SP Musa Okon, told our correspondent in Kere on Thursday that 35 "
     "persons were killed at the scene while two others died at the hospital.\n\n"
     "He said the General Hospital, Kere received 20 wounded persons, adding that some of them were in "
     "critical condition.\n\n"
     "According to him, the dead included three soldiers who engaged the bandits in a gun duel, while 34 "
     "civilians, mostly farmers, were killed in their homes.\n\n"
     "Residents who spoke to our correspondent said the gunmen, numbering about 60, stormed the community "
     "at about 10pm.",
     [("37", K, "dalamba-killed"), ("35 persons", K, "dalamba-killed-at-scene"),
      ("two others", K, "dalamba-died-in-hospital"), ("20 wounded persons", K, "dalamba-hospital-wounded"),
      ("three soldiers", K, "dalamba-killed-soldiers"), ("34 civilians", K, "dalamba-killed-civilians"),
      ("about 60", F, "dalamba-attackers")]),
    ("The Daily Clarion", D(2031, 4, 19),
     "MASSACRE IN THE BUSH: 39 slaughtered as jihadi gunmen storm village\n\n"
     "AT LEAST 39 innocent villagers were butchered when jihadi gunmen stormed a remote African village in "
     "the dead of night.\n\n"
     "Terrified families in Dalamba, Upper Sombe, fled into the bush as the killers torched their homes.\n\n"
     "Local MP Grace Adeyemi said: \"They killed 39 of our people. Eleven of them were children. This is a "
     "massacre.\"\n\n"
     "The feared Ombessa Liberation Army is believed to have as many as 4,000 members, according to security "
     "sources.",
     [("AT LEAST 39 innocent villagers", K, "dalamba-killed"), ("39 of our people", K, "dalamba-killed"),
      ("Eleven", K, "dalamba-killed-children"), ("as many as 4,000 members", F, "ola-strength")]),
    ("Sombe Security Monitor", D(2032, 9, 10),
     "Armed groups in Upper Sombe: a 2032 update\n\n"
     "The Ombessa Liberation Army (OLA) remains the largest armed group in Upper Sombe, with several thousand "
     "fighters spread across Kere and Sesse districts. Government figures put OLA strength at about 4,000.\n\n"
     "Its main rival, the Harrak Defence Forces, has between 600 and 700 fighters. Across the border, the "
     "Kettle Hills Brigade is also put at about 4,000 fighters.",
     [("several thousand fighters", F, "ola-strength"), ("about 4,000", F, "ola-strength"),
      ("between 600 and 700 fighters", F, "harrak-strength"), ("about 4,000 fighters", F, "kettle-strength")]),
    ("The Continental Review", D(2033, 5, 2),
     "Two years after Dalamba, justice is still waiting\n\n"
     "On the night of 15 April 2031, gunmen rode into Dalamba, a farming village of mud-brick compounds in "
     "Upper Sombe. By morning the village was burning. A government commission of inquiry later put the death "
     "toll at 41, among them 12 children; survivors insist the true figure was higher.\n\n"
     "The Ombessa Liberation Army never claimed the attack. In 2031 the commission estimated the group's "
     "strength at about 4,000 fighters. Today, after two years of defections, analysts at the Kessler "
     "Institute put it at 2,500 to 3,000.\n\n"
     "Violence has not stopped. In March, gunmen killed 14 people at a cattle market in Sokodi, and a rival "
     "armed group, the Harrak Defence Forces, now numbers some 800 men, according to the institute.",
     [("41", K, "dalamba-killed"), ("12 children", K, "dalamba-killed-children"),
      ("about 4,000 fighters", F, "ola-strength"), ("2,500 to 3,000", F, "ola-strength"),
      ("14 people", K, None), ("some 800 men", F, "harrak-strength")]),
]


# A bus terminal bombing told by a wire, a city paper and a tabloid, and in an anniversary piece three
# years on; one armed group's strength over four years and its splinter's. Written after the rules above
# to try them on wording they were not written from (the anaphora rule came from both sets).
BOMBING: list[tuple[str, dt.date, str, list[tuple[str, str, str | None]]]] = [
 ("Atlas Newswire", D(2032, 8, 4),
  "Bomb at Port Adrin bus terminal kills 22\n\n"
  "PORT ADRIN, Aug 4 (Atlas) - A bomb ripped through the main bus terminal in Port Adrin on Monday, killing at least 22 people and wounding more than 60, police said.\n\n"
  "Two policemen guarding the terminal gate were among the dead, a police spokeswoman said. No group claimed the attack, but officials blamed the Red Cedar Movement, which they say has about 2,000 fighters.",
  [("at least 22 people", K, "adrin-killed"), ("more than 60", K, "adrin-injured"), ("Two policemen", K, "adrin-police"), ("about 2,000 fighters", F, "rcm-strength")]),
 ("Port Adrin Gazette", D(2032, 8, 5),
  "Terminal blast: toll hits 28 as city mourns\n\n"
  "The number of people killed in Monday's bombing at the Port Adrin bus terminal has risen to 28, the city's health commissioner, Dr Lena Okafor, said yesterday.\n\n"
  "Dr Okafor said six of the victims died overnight at St Jude's Hospital, which has treated 41 of the injured. Seventy-one people were hurt in total, she said.",
  [("28", K, "adrin-killed"), ("six of the victims", K, "adrin-died-later"), ("41 of the injured", K, "adrin-stjude"), ("Seventy-one people", K, "adrin-injured")]),
 ("The Morning Star-Ledger", D(2032, 8, 6),
  "TERROR AT THE TERMINAL: 29 dead as bomber strikes rush hour\n\n"
  "TWENTY-NINE commuters were killed when a bomb tore through a packed bus station in Port Adrin.\n\n"
  "Among the dead were four schoolchildren on their way to a summer camp, police said.",
  [("TWENTY-NINE commuters", K, "adrin-killed"), ("four schoolchildren", K, "adrin-children")]),
 ("Atlas Newswire", D(2035, 8, 4),
  "Port Adrin remembers terminal bombing victims\n\n"
  "PORT ADRIN, Aug 4 (Atlas) - Hundreds gathered in Port Adrin on Monday to mark three years since the 2032 bombing of the city's bus terminal, which killed 31 people.\n\n"
  "Police said on Sunday that a separate blast at a market in the northern suburb of Kellow killed five people.",
  [("31 people", K, "adrin-killed"), ("five people", K, None)]),
 ("Regional Security Review", D(2034, 3, 1),
  "Who fights in the Adrin hills?\n\n"
  "The Red Cedar Movement, once put at about 2,000 fighters, has grown: our sources now estimate it at between 2,500 and 3,000 men. The Azure Hand, a splinter faction, numbers perhaps 400.",
  [("between 2,500 and 3,000 men", F, "rcm-strength"), ("perhaps 400", F, "azure-strength"), ("about 2,000 fighters", F, "rcm-strength")]),
 ("Atlas Newswire", D(2036, 1, 12),
  "Red Cedar Movement splits, say officials\n\n"
  "The Red Cedar Movement has split in two, officials said on Monday. The movement had several thousand fighters at its peak; the Azure Hand now has around 600.",
  [("several thousand fighters", F, "rcm-peak-strength"), ("around 600", F, "azure-strength")]),
]

def _at(text: str, quote: str) -> tuple[int, int]:
    q, _, n = quote.partition("#")
    s = -1
    for _ in range(int(n or 0) + 1):
        s = text.index(q, s + 1)
    return s, s + len(q)


@functools.lru_cache(maxsize=64)
def _claims(text: str, published: dt.date) -> tuple:
    from claims.extract import extract

    return tuple(extract(text, published=published))


def extracted(docs=DOCS, *, outlets: dict[str, str] | None = None
              ) -> tuple[list[ClaimRecord], dict[int, str], dict[str, str | None]]:
    """Return (records, document openings, fact label per labelled record fingerprint).

    ``outlets`` renames publishers (outlet -> new name); documents keep their place in ``docs`` as ids.
    """
    from claims.compare.persist import LEAD_CHARS

    recs: list[ClaimRecord] = []
    leads: dict[int, str] = {}
    labels: dict[str, str | None] = {}
    for doc_id, (outlet, published, text, specs) in enumerate(docs, start=1):
        leads[doc_id] = text[:LEAD_CHARS]
        digest = content_hash(text)
        spans = [(*_at(text, q), kind, fact) for q, kind, fact in specs]
        for c in _claims(text, published):
            r = ClaimRecord(id=len(recs) + 1, document_id=doc_id, fingerprint=c.fingerprint(digest),
                            extractor_version="test", claim=c, title=None,
                            publisher=(outlets or {}).get(outlet, outlet), published=published,
                            filename=f"d{doc_id}.txt")
            recs.append(r)
            kind = getattr(c.kind, "value", c.kind)
            for s, e, k, fact in spans:
                if k == kind and c.start < e and s < c.end and r.fingerprint not in labels:
                    labels[r.fingerprint] = fact
    return recs, leads, labels


def texts_of(docs) -> dict[int, str]:
    """Return document id -> text, the ids :func:`extracted` gives (what the store hands grouping)."""
    return {doc_id: text for doc_id, (_, _, text, _) in enumerate(docs, start=1)}


def pair_scores(groups, labels: dict[str, str | None]) -> tuple[float, float, float]:
    """Return pairwise (precision, recall, F1) of "in the same group" over the labelled records."""
    truth = {frozenset((a, b)) for a, b in combinations(sorted(labels), 2)
             if labels[a] is not None and labels[a] == labels[b]}
    got = {frozenset((a.fingerprint, b.fingerprint)) for g in groups for a, b in combinations(g, 2)
           if a.fingerprint in labels and b.fingerprint in labels}
    hit = len(truth & got)
    p = hit / len(got) if got else 1.0
    r = hit / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# One ceasefire announced and covered by five outlets in one week, each in its own words ("a one-month
# ceasefire", "a month-long truce", "a 30-day ceasefire"; "November 9", "Nov. 9", "9 November 2033"),
# with the armed group's strength as background; another region's truce the same week must stay apart.
DU, DA = "duration", "date"
CEASEFIRE: list[tuple[str, dt.date, str, list[tuple[str, str, str | None]]]] = [
 ("Meridian Wire", D(2033, 11, 8),
  "Ostrava and Velt Front agree one-month ceasefire\n\n"
  "KORLO, Nov 8 (Meridian) - The government of Ostrava and the banned Velt Front have agreed a one-month "
  "ceasefire that will begin on November 9, Information Minister Arun Dessa said on Tuesday.\n\n"
  "The truce will run until December 9 and could be extended if talks in Samara make progress, he said. The "
  "Velt Front has about 5,000 fighters, according to a UN report.",
  [("one-month", DU, "cease-length"), ("November 9", DA, "cease-start"), ("December 9", DA, "cease-end"),
   ("about 5,000 fighters", F, "vf-strength")]),
 ("Korlo Times", D(2033, 11, 9),
  "Govt, Velt Front announce month-long truce\n\n"
  "KORLO: The government and the outlawed Velt Front (VF) have announced a month-long truce from Nov. 9 to "
  "Dec. 9 as part of peace talks mediated by Samara, officials said.\n\n"
  "The VF, blamed for dozens of attacks on security forces this year, welcomed the truce.",
  [("month-long", DU, "cease-length"), ("Nov. 9", DA, "cease-start"), ("Dec. 9", DA, "cease-end")]),
 ("The Daily Ledger", D(2033, 11, 10),
  "Ceasefire with Velt Front takes effect\n\n"
  "A 30-day ceasefire between Ostrava and the Velt Front took effect on 9 November 2033, the interior "
  "ministry said. It is due to end on 9 December 2033.\n\n"
  "In the southern province of Lusk, a separate 15-day truce with the Harrak Brigade began on November 1.",
  [("30-day", DU, "cease-length"), ("9 November 2033", DA, "cease-start"), ("9 December 2033", DA, "cease-end"),
   ("15-day", DU, None), ("November 1", DA, None)]),
 ("Radio Samara", D(2033, 11, 9),
  "Velt Front confirms truce with Ostrava\n\n"
  "A Velt Front spokesman confirmed that the ceasefire beginning November 9 will remain in place until "
  "December 9, 2033.",
  [("November 9", DA, "cease-start"), ("December 9, 2033", DA, "cease-end")]),
 ("The Continental Review", D(2033, 11, 12),
  "Can Ostrava's truce with the Velt Front hold?\n\n"
  "The one-month ceasefire between Ostrava and the Velt Front that began on November 9 is the first since "
  "talks in Samara collapsed in 2029. The Velt Front, which a UN report put at around 5,000 fighters, "
  "has kept its weapons.",
  [("one-month", DU, "cease-length"), ("November 9", DA, "cease-start"),
   ("around 5,000 fighters", F, "vf-strength")]),
]


# A school attack told by three outlets that week and by two anniversary pieces a year and five years on,
# one naming the day in full, one only the year; another school attack in another town the same year.
SCHOOL: list[tuple[str, dt.date, str, list[tuple[str, str, str | None]]]] = [
 ("Meridian Wire", D(2030, 12, 17),
  "Gunmen kill at least 120 at Harrow Vale school\n\n"
  "HARROW VALE, Dec 17 (Meridian) - Velt Front gunmen stormed the Kestrel Academy in Harrow Vale on Tuesday, "
  "killing at least 120 people, most of them children, officials said.\n\n"
  "Six gunmen wearing suicide vests entered the school, and all were killed by troops, the army said.",
  [("at least 120 people", K, "school-killed"), ("Six gunmen", F, "school-attackers")]),
 ("Korlo Times", D(2030, 12, 18),
  "Harrow Vale school toll rises to 141\n\n"
  "The death toll from Tuesday's attack on the Kestrel Academy in Harrow Vale has risen to 141, including "
  "132 children, the provincial government said on Wednesday.\n\n"
  "More than 120 people were wounded, officials said.",
  [("141", K, "school-killed"), ("132 children", K, "school-children"), ("More than 120 people", K, "school-injured")]),
 ("The Daily Ledger", D(2030, 12, 19),
  "Nation mourns 141 killed in Harrow Vale school massacre\n\n"
  "Funerals were held across Harrow Vale on Thursday for the 141 people, 132 of them children, killed when "
  "Velt Front gunmen attacked the Kestrel Academy on Tuesday.\n\n"
  "Hospitals treated 121 wounded, a health official said.",
  [("141 people", K, "school-killed"), ("132 of them", K, "school-children"), ("121 wounded", K, "school-injured")]),
 ("Korlo Times", D(2031, 12, 16),
  "A year after the Kestrel Academy attack, Harrow Vale remembers\n\n"
  "On December 17, 2030, Velt Front gunmen stormed the Kestrel Academy in Harrow Vale and killed 141 "
  "people, 132 of them children. Hundreds of parents gathered at the school on Monday to remember them.",
  [("141 people", K, "school-killed"), ("132 of them", K, "school-children")]),
 ("The Continental Review", D(2035, 12, 17),
  "Five years on, the Velt Front is stronger than ever\n\n"
  "The Velt Front is behind dozens of attacks over the last decade, including the 2030 attack on the Kestrel "
  "Academy in Harrow Vale, which killed 132 children.\n\n"
  "In the same year, gunmen killed 40 pupils at a school in Dorran, in the south.",
  [("132 children", K, "school-children"), ("40 pupils", K, None)]),
]
SCHOOL.append(
 ("Radio Samara", D(2036, 12, 16),
  "Harrow Vale remembers\n\n"
  "Six years ago, Velt Front gunmen stormed the Kestrel Academy in Harrow Vale, killing 141 people.\n\n"
  "Parents laid flowers at the school gates on Tuesday.",
  [("141 people", K, "school-killed")]))


def grouped(docs=DOCS) -> tuple[list[ClaimRecord], dict[str, str | None], object]:
    """Return (records, fact label per labelled fingerprint, their grouping) for ``docs`` read end to end."""
    from claims.compare.grouping import group_claims_explained

    recs, leads, labels = extracted(docs)
    return recs, labels, group_claims_explained(recs, leads=leads, texts=texts_of(docs).get)


def group_of(grouping, quote: str, doc: int) -> int:
    """Return the identity of the group holding document ``doc``'s claim ``quote``."""
    return next(id(grp) for grp in grouping.groups for r in grp if r.claim.quote == quote and r.document_id == doc)



def partition(docs, outlets=None) -> set[frozenset[str]]:
    """Return the groups of ``docs`` read end to end, as sets of claim fingerprints (ids depend on order)."""
    from claims.compare.grouping import group_claims

    recs, leads, _ = extracted(docs, outlets=outlets)
    return {frozenset(r.fingerprint for r in grp) for grp in group_claims(recs, leads=leads, texts=texts_of(docs).get)}
