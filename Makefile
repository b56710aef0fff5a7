# The two commands README promises. Both install what they need first.
.PHONY: demo test install

install:
	python -m pip install -q -e ".[test]"

demo: install
	newscrawl demo

test: install
	python -m pytest -q
