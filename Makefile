# Two commands on a fresh Debian/Ubuntu machine: `make interview` and `make test`.
# Each sets everything up first (system packages with apt-get when missing, then .venv).

VENV   := .venv
PY     := $(VENV)/bin/python
VI     := $(VENV)/bin/voice-interviewer
STAMP  := $(VENV)/.installed
# espeak-ng: the interviewer's voice; libportaudio2: microphones and speakers;
# pulseaudio: the null-sink devices the end-to-end tests use (and paplay/parec);
# chromium: the report is rendered and checked in a headless browser by the tests;
# flite: a second synthesizer for the tests and bench/metrics_accuracy.py (voices trained on
# real speakers), so that no filler rule fits only espeak-ng's sound
SYSTEM_PACKAGES := espeak-ng libportaudio2 pulseaudio chromium flite

.PHONY: install system-packages interview demo test bench clean

install: system-packages $(STAMP)

system-packages:
	@command -v dpkg >/dev/null 2>&1 || { echo "Not a Debian/Ubuntu system: install $(SYSTEM_PACKAGES) (or their equivalents) yourself."; exit 0; }; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	else echo "Missing system packages. Please run:"; echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
	echo "Installing system packages:$$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

interview: install
	$(VI) interview

demo: install
	$(VI) demo

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/transcription_speed.py
	$(PY) bench/metrics_accuracy.py
	$(PY) bench/room_detection.py
	$(PY) bench/latency.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
