"""Art-movement classifier: data cache, backbones, training, ONNX inference, Grad-CAM."""
