"""One module per notebook: each composes ui components and the store into a screen."""
