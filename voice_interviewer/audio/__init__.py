"""Audio sources and sinks: WAV files here, PortAudio devices in `devices` (imported only when used)."""
