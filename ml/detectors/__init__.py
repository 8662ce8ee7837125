"""Detectors of AI-generated images: svm-dct (DCT features + RBF SVM) and gfnet (FFT + Global
Filter Network). Both see every image through the same preprocessing (preprocess.py)."""
