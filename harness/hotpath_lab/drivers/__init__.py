"""How a scenario reaches a build: the plug-in interface, the Python loop and native drivers."""
