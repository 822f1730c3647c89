"""The Streamlit app of the posture analyzer (``streamlit run app.py``).

Each page is a module of ``webapp.pages`` with a ``render()`` function that ``app.py`` hands to
``st.navigation``:

* ``webapp.pages.photo``   — "Photo analysis": one uploaded or camera photo, result, routine, downloads.
* ``webapp.pages.compare`` — "Compare two photos": aligned side by side, ghost overlay, table, export.
* ``webapp.pages.live``    — "Live mirror": the webcam as a mirror with live measures and capture.

``webapp.common`` holds what the pages share: the pose model and the error figures loaded once
per server, the analysis of an upload kept per browser session, the measure table and the
picture of a good photo set-up. Only this package imports Streamlit; ``posture`` never does.
"""
