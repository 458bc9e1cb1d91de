"""The live demo: MNIST-style preprocessing of drawn, uploaded or photographed digits, and prediction."""
