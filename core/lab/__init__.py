"""The reference-model lab: data, reference and demo models, training, stored runs, devices and the bench."""
