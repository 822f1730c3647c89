"""Everything a person reads or sees: wording, overlays, illustrations, face blur, photo
alignment for comparison, and the HTML/PDF documents. The only package besides
``posture.image`` that may import OpenCV or Pillow."""
