"""Speech in and out: text to speech, speech recognition, voice activity."""
