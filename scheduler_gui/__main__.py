from scheduler_gui.app import run

run()
