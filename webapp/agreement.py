"""The Clients page's "Estimator agreement on your clients": how the markerless pelvic tilt
estimate agrees with the skin markers over every saved marker session of every client in the
records (``posture.records.agreement``), as figures and a Bland–Altman plot."""

from __future__ import annotations

import streamlit as st

from posture.records import agreement
from posture.records.agreement_plot import bland_altman_svg
from posture.records.store import Store

TITLE = "Estimator agreement on your clients"


def figure_rows(a: agreement.Agreement) -> list[dict[str, str]]:
    """The table's rows (degrees to 0.1): figure, value, its 95% confidence interval."""

    def span(interval: tuple[float, float] | None) -> str:
        return "—" if interval is None else f"{interval[0]:+.1f}° to {interval[1]:+.1f}°"

    return [
        {"Figure": "Marker sessions", "Value": str(a.n), "95% confidence interval": "—"},
        {"Figure": "Clients", "Value": str(a.clients), "95% confidence interval": "—"},
        {"Figure": "Bias (estimate − markers)", "Value": f"{a.bias:+.1f}°", "95% confidence interval": span(a.bias_ci)},
        {"Figure": "SD of the differences", "Value": f"{a.sd:.1f}°", "95% confidence interval": "—"},
        {"Figure": "Lower limit of agreement", "Value": f"{a.lower:+.1f}°", "95% confidence interval": span(a.lower_ci)},
        {"Figure": "Upper limit of agreement", "Value": f"{a.upper:+.1f}°", "95% confidence interval": span(a.upper_ci)},
    ]  # fmt: skip


def show_agreement(store: Store) -> None:
    """The section: the figures and the plot, or why there are none yet."""
    st.subheader(TITLE)
    sessions = [s for client in store.clients() for s in store.sessions(client.id)]
    found = agreement.agreement(sessions)
    st.caption(
        "Every session saved with the two skin stickers also keeps the markerless estimate of "
        "the same photo. Over all those sessions of all your clients: how far the estimate is "
        "from the stickers (difference = estimate − markers, degrees, anterior tilt positive)."
    )
    if not found.enough:
        st.info(f"{found.reason[0].upper()}{found.reason[1:]}.")
        return
    st.table(figure_rows(found))
    st.caption(
        f"Bias: the estimate reads on average {abs(found.bias):.1f}° "
        f"{'more' if found.bias >= 0 else 'less'} anterior tilt than the stickers. About 95% of "
        f"single photos differ by between {found.lower:+.1f}° and {found.upper:+.1f}°. The "
        f"confidence intervals say how uncertain these figures are with {found.n} sessions; "
        "they count each session as a separate photo, so they are too narrow when a few "
        "clients gave most of the sessions."
    )
    st.image(bland_altman_svg(found), alt="Bland–Altman plot of the estimate against the skin markers")
