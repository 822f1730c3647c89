"""The Streamlit pages of the posture analyzer (``streamlit run app.py``).

Each page is a module with a ``render()`` function that ``app.py`` hands to
``st.navigation``:

* ``webapp.photo``   — "Photo analysis": one uploaded or camera photo, result, routine, downloads.
* ``webapp.compare`` — "Compare two photos": aligned side by side, ghost overlay, table, export.
* ``webapp.live``    — "Live mirror" (the webcam page, its own issue). ``app.py`` adds it to the
  navigation as soon as ``webapp/live.py`` exists and defines ``render()``; nothing else needs
  to change. Use ``webapp.common`` for the shared pieces (measure texts, rejection guidance).

``webapp.common`` holds what the pages share: the pose model loaded once per server, the
analysis of an upload kept per browser session, the plain-language measure texts and the
picture of a good photo set-up. Only this package imports Streamlit; ``posture`` never does.
"""
