"""One module per mechanism; the model calls each only when the scenario switches it on."""
