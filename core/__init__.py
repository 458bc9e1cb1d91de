"""ModelRunway's product logic: plain Python shared by the CLI, the tests and the pages."""
