"""Image models: AI-generated image detectors and the movement classifier (to come)."""
