"""The frozen ImageNet backbone every image model reads: EfficientNet-Lite in the architecture
its shipped weights were trained for, its texture statistics, and a cache of them by image."""
