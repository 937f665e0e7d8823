"""Face detection, 68-point landmarks and canonical alignment on dlib."""
