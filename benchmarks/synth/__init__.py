"""Synthetic side-view renders of a rigged human with a known pelvic tilt and lumbar curve.

The figure is the CC0 "male base mesh" (``../shared/models_3d/godot_male_base_mesh_cc0``),
loaded at run time and never copied into this repository. Modules, in the order data flows:

``gltf``      read the .glb: mesh arrays, the joint hierarchy and inverse bind matrices
``skeleton``  forward kinematics and linear-blend skinning (numpy)
``posing``    the standing pose: arms down, pelvic tilt (compensated or rigid), lumbar curve
``camera``    a perspective orbit camera around the standing figure
``render``    z-buffer rasterizer with Lambert shading, background and image degradations
``truth``     what is known exactly: pelvis angles, lumbar angles, projected landmarks
``generate``  ``SceneParams``, ``render_scene``, ``sample_params`` and the command line
``video``     a short y4m clip of the figure tilting its pelvis, for fake-camera browser tests

World frame (metres), the mesh's own: **+x forward** (the way the body faces), **+y up**,
**+z to the body's right**. Left-side joints (``.L``) have negative z.
"""
