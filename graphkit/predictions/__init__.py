"""Predictions written back as nodes, what curators ask of them, and people's reviews.

`(:Prediction)-[:ABOUT]->(Artwork|GeneratedImage)`, `-[:BY]->(:Model)` and, for movement
models, `-[:PREDICTS]->(:Movement)`. The graph side only: the models that make predictions are
run by ml/predict.py.
"""
