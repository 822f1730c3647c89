"""The Streamlit pages: photo analysis, comparison of two photos, the live mirror."""
