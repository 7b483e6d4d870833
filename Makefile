# Thin wrappers: dev.py does the work and needs only Python 3.11+ and pip.
PYTHON ?= python3
.PHONY: demo test bench package
demo: ; $(PYTHON) dev.py demo
test: ; $(PYTHON) dev.py test
bench: ; $(PYTHON) dev.py bench
package: ; $(PYTHON) dev.py package
