"""Optional parts of the main window, one package each (timeline, activity, Excel, shift,
copy dates). Each installs itself on the window; features never import each other.
"""
