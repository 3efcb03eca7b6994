"""One module per scenario, each with its parameters and an async `run(start, params)`."""
