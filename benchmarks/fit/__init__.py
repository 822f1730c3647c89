"""Fitting the tilt and lumbar estimator to rendered bodies of known truth (issue 14).

``outline``   features of a canonical-facing pose (numpy only; moves to posture/measure/)
``model``     reading and evaluating the model file (numpy only; moves to posture/measure/)
``canonical`` one facing before pose estimation: flip left-facing photos and detect again
``mesh_data`` single-mesh renders with truth (benchmarks/synth), the cross-domain set
``cache``     pose results per image (canonical landmarks and mask) cached on disk
``train``     fit, judge on held-out bodies, write the model file with its error figures
"""
