"""Who is reviewing: Streamlit's OIDC login when configured, else a name typed in the sidebar.

OIDC login is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section
(see Streamlit's ``st.login``). Without it, reviewers type their name once per
session; no verdict can be saved until they have.
"""
from __future__ import annotations

import urllib.parse

import streamlit as st

from dashboard import look

NAME_KEY = "reviewer_name"


def auth_configured() -> bool:
    """Return True when secrets.toml configures OIDC login (an ``[auth]`` section)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file must not take the dashboard down; login is then off
        return False


def logged_in() -> bool:
    """Return True when an OIDC user is logged in (False, not an error, when st.user has no login state)."""
    return bool(st.user.get("is_logged_in", False))


def reviewer() -> str | None:
    """Return the current reviewer's name, or None when nobody is identified yet."""
    if auth_configured():
        if not logged_in():
            return None
        return str(st.user.get("email") or st.user.get("name") or "").strip() or None
    name = str(st.session_state.get(NAME_KEY) or "").strip()
    return name or None


def actor():
    """Return the current claims.team.Actor (name and role), or None when nobody is identified yet.

    With OIDC login the role comes from the token's roles claim (team setting
    ``oidc_role_claim``); otherwise from the reviewers table, and with no
    table everyone is an editor (a single-user setup).
    """
    from claims.team import roles_from_claims
    from dashboard import data

    name = reviewer()
    if auth_configured():
        if name is None:
            return None
        try:
            user = st.user.to_dict()
        except AttributeError:
            user = {k: st.user.get(k) for k in st.user}
        roles = roles_from_claims(user, claim=data.team_setting("oidc_role_claim"))
        return data.actor(name, tuple(roles))
    return data.actor(name, None)


def sidebar() -> str | None:
    """Show who is reviewing in the sidebar (login/logout or a name box) and return the reviewer."""
    with st.sidebar:
        if auth_configured():
            if logged_in():
                who = st.user.get("name") or st.user.get("email")
                st.markdown(f":material/account_circle: **{look.md_escape(who)}**")
                st.button("Log out", on_click=st.logout, key="logout")
            else:
                st.button("Log in to review", on_click=st.login, type="primary", key="login")
        else:
            # Keep the name across pages: st.navigation reruns the entrypoint, and the
            # widget's own state would be dropped on a page that does not draw it. A new session
            # (a reload) starts from the name this browser last used, kept in a cookie.
            if NAME_KEY not in st.session_state:
                st.session_state[NAME_KEY] = remembered(NAME_COOKIE) or ""
            st.session_state[NAME_KEY] = st.session_state.get(NAME_KEY, "")
            st.text_input("Reviewer name", key=NAME_KEY, placeholder="Your name, saved with every verdict",
                          on_change=lambda: remember(NAME_COOKIE, st.session_state.get(NAME_KEY) or ""),
                          help="Needed before you can save a verdict; this browser remembers it. Set up OIDC "
                               "login in .streamlit/secrets.toml ([auth]) to use accounts instead.")
        write_cookies()
    return reviewer()


# ---------------------------------------------------------------- remembered across reloads (cookies)
NAME_COOKIE = "claims_reviewer"
ADVANCE_COOKIE = "claims_advance"
_PENDING = "_cookies_to_write"


def remembered(name: str) -> str | None:
    """Return the value this browser keeps under cookie ``name`` (None when it has none)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser context (AppTest, bare mode): nothing remembered
        return None
    return urllib.parse.unquote(value) if isinstance(value, str) and value else None


def remember(name: str, value: str) -> None:
    """Have the browser keep ``value`` under cookie ``name`` for a year (written by :func:`write_cookies`)."""
    st.session_state.setdefault(_PENDING, {})[name] = value


def write_cookies() -> None:
    """Write the cookies :func:`remember` queued, through a zero-height component (same origin as the app)."""
    pending = st.session_state.pop(_PENDING, None)
    if not pending:
        return
    import json

    import streamlit.components.v1 as components

    sets = "".join(
        f"document.cookie = {json.dumps(f'{k}={urllib.parse.quote(v)}; path=/; max-age=31536000; SameSite=Strict')};"
        for k, v in pending.items())
    components.html(f"<script>{sets}</script>", height=0)
