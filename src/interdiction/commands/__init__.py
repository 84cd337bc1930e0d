"""Command-line interface, one module per noun; ``interdiction.cli`` assembles them."""
