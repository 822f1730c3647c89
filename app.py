"""Streamlit front end (minimal page; the full app is built on posture.analyze)."""

import streamlit as st

from posture.analyze import analyze
from posture.overlay import annotate
from posture.pose import PoseEstimator


@st.cache_resource
def estimator() -> PoseEstimator:
    return PoseEstimator("full")


st.title("Posture analyzer")
st.caption("Pelvic tilt and lumbar curve estimates from a side-view photo. Coaching, not diagnosis.")
upload = st.file_uploader("Side-view photo", type=["jpg", "jpeg", "png", "webp", "heic"])
if upload is not None:
    result = analyze(upload.getvalue(), estimator())
    if result.ok:
        st.image(annotate(result.image, result))
        st.json(result.to_dict())
    else:
        st.warning(result.rejection.message)
