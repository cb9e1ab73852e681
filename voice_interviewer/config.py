"""Every threshold and default in one place (DESIGN.md section 3 gives the metric defaults)."""

from __future__ import annotations

from dataclasses import dataclass, field

SAMPLE_RATE = 16_000  # everything inside the program is 16 kHz mono float32


@dataclass(frozen=True)
class AnalysisConfig:
    # gaps and pauses (seconds)
    silent_gap_s: float = 0.25  # gaps this long are removed for articulation rate, and end a phrase as a comma does
    pause_s: float = 1.0  # a "pause" in the report
    # Silero VAD used to find where speech really is (Whisper word times swallow silences)
    # at Silero's usual 0.5 a third of telephone-band (300-3400 Hz) speech was missed; 0.35
    # keeps 98% of it (bench/metrics_accuracy.py) and still leaves silences out
    vad_threshold: float = 0.35
    vad_min_silence_ms: int = 250
    vad_min_speech_ms: int = 100
    vad_speech_pad_ms: int = 30
    # the silence inside a gap, by frame energy: quieter than the noise floor + margin
    # and than typical speech - below_speech (searched edge_s past the VAD-fitted word edges)
    silence_frame_s: float = 0.01
    silence_floor_margin_db: float = 10.0
    silence_below_speech_db: float = 20.0
    silence_edge_s: float = 0.1
    silence_blip_s: float = 0.05  # louder frames this short inside a silence do not break it (clicks, room noise)
    # a room's echo rings on after each word and shortens every silence (a 1.1 s pause read
    # 0.9 s in a living room, RT60 0.5 s): where the speech ends into silences die away slower
    # than reverb_min_rt60_s (60 dB), measured over reverb_fall_db at silences of
    # reverb_min_silence_s or more, the late echo (from reverb_delay_s on) is taken out of
    # the frame levels before silence is judged (analysis/silence.py). Speech recorded close
    # to the mouth reads at most 0.24 s (the accuracy bench's clean, phone and noise answers).
    reverb_fall_db: float = 15.0
    reverb_min_silence_s: float = 0.3
    # Inside a silence the fall is measured down to 3 dB over its noise floor where that comes
    # first, as the fall of the sound over the noise, if that is 6 dB or more: with a fan 30 dB
    # under the speech every room was missed (0 of 84 bench answers judged reverberant, 81 now).
    # And one end alone judges nothing: a voice's slow fade into a quiet noise floor, 40 dB
    # under the speech, read as a room in 6 of 84 dry answers at one end, in 0 now
    # (bench/room_detection.py).
    reverb_min_fall_db: float = 6.0
    reverb_floor_margin_db: float = 3.0
    reverb_min_ends: int = 2
    reverb_min_rt60_s: float = 0.3
    reverb_delay_s: float = 0.05
    reverb_over_subtraction: float = 1.0  # the echo taken out once: twice cut the slow fade of a voice too
    reverb_max_cut_db: float = 20.0
    # volume
    clipping_level: float = 0.99  # |sample| at or above this counts as clipped
    quiet_dbfs: float = -35.0  # speech quieter than this is hard to hear
    # pace and length bands for a phone-screen answer
    pace_low_wpm: float = 110.0
    pace_high_wpm: float = 170.0
    short_answer_s: float = 20.0
    long_answer_s: float = 150.0
    # Whisper writes clean text and drops most "um"s. A second pass primed with fillers
    # hears them (it also bends word timing, so only its filled pauses are kept).
    filler_pass_prompt: str | None = "Um, uh, hmm, er, ah."
    filler_merge_s: float = 0.3  # a filled pause this close to one already found is the same one
    # a run of this many words written twice in a row by one pass only is Whisper looping
    # (analysis/passes.py); a person saying "thank you, thank you" is not cut
    loop_min_words: int = 4
    # ...and such a run written this many times in a row is a loop both passes fell into (tiny.en,
    # 1 of 204 bench answers: "and I pick Dr. Michael," ten times over a telephone-band answer):
    # its audio is heard again on its own; where that fails, word count and pace are approximate
    loop_times: int = 3
    # speech this long that no word lies over is heard again on its own: Whisper sometimes
    # leaves out a whole sentence; what it hears there counts only if it was not unsure
    # (segment mean log-probability at or above unreliable_logprob)
    unheard_speech_min_s: float = 1.0
    # filled pauses both passes miss: steady voiced sounds between words, heard again alone
    hidden_filler_min_s: float = 0.14  # shorter sounds are word edges and clicks
    hidden_filler_max_s: float = 2.0  # longer is speech Whisper dropped, not one "um"
    hidden_filler_edge_s: float = 0.08  # left around each word for the edges its fitted time cuts off
    hidden_filler_clear_s: float = 0.06  # silence before the next word; a sound running into it is its late-timed start
    hidden_filler_own_sound_s: float = 0.1  # a word lying over a set-off sound that has this much sound of its own is stretched
    hidden_filler_word_reach_s: float = 0.02  # a word over a set-off sound whose time reaches this much sound after it ran on from there
    hidden_filler_voiced: float = 0.8  # share of voiced frames
    hidden_filler_change: float = 0.25  # median spectral-envelope change per 10 ms (bels): a held sound
    # a sound this much quieter than the answer's typical speech frame is no filled pause: a
    # phone filter's ringing or room sound in a silence (measured: the quietest of 621 real
    # ones, 17 voices, 3 conditions, lay 3.9 dB below; a telephone band's ringing, 17.7 dB)
    hidden_filler_below_speech_db: float = 15.0
    hidden_filler_context_s: float = 0.15  # audio either side given to Whisper with the sound
    hidden_filler_max_checks: int = 30  # bound on the sounds looked at in one answer
    # Whisper's mean log-probability of that check: below it, it was unsure. Measured on 226
    # confirmed sounds (11 voices, 3 conditions): the 13 that were no filled pause lay at
    # -1.17 to -0.41, 8 of them below -0.8; of the 213 real ones 3 did
    hidden_filler_min_logprob: float = -0.8
    # ...but only a short sound needs Whisper to be sure: the 13 false ones were all under
    # 0.22 s (12 under 0.18 s, the voiced start of a word), and of the sounds of 0.2 s or
    # more 1 in 185 was false; held-out voices' "uh"s of 0.21-0.23 s were heard at -1.1 to -0.97
    hidden_filler_sure_s: float = 0.2
    # live turns: a held sound at least this long ending the speech ("the same day-uhh", an "um"
    # glued to the last word, which both passes leave out) is heard alone, its last
    # `trailing_filler_heard_s`; heard as a filled pause, the speaker is still thinking
    # (bench/trailing_filler.py). The speech ends at its last frame this close to its loudest.
    trailing_filler_min_s: float = 0.2
    trailing_filler_heard_s: float = 0.3
    trailing_filler_below_peak_db: float = 25.0
    # ...in a reverberant room (the session's earlier speech dies away as a room's echo does) a
    # held sound is no longer steady: the echo of the word before runs on over it. The end of the
    # speech, the "um"'s own echo dying away, is heard then, this long: on the bench's room (RT60
    # 0.5 s, 8 voices) 45 of 112 glued "um"s heard as fillers, and 6 of 112 finished sentences;
    # 0.2 s: 61 and 25; 0.3 s: 38 and 7
    trailing_filler_room_heard_s: float = 0.25
    # this many fillers or more, heard in a sound alone with the filler prompt, is the prompt
    # looping on a sound Whisper could not make out ("Uh, uh, hmm, uh, hmm, hmm." for the end of
    # flite's slow "updated"), not a heard "um": at a live turn's end and in the search by sound
    filler_prompt_loop: int = 5
    # a steady sound running straight into the next word is heard with that word, and is a
    # filled pause when Whisper starts a filler no later than this after the sound ends
    filler_into_word_s: float = 0.05
    # a filled pause of the passes moves to the steady sound nearest it, up to this long before it
    # (the passes time them late, often at the start of the next word) or retime_after_s after it
    filler_retime_s: float = 0.6
    filler_retime_after_s: float = 0.03
    # one the passes time over the end of a silence longer than filler_retime_s (reaching this far
    # either side of it), on the next word's start, may have been said before that silence:
    # "So, um, <1.8 s> last" written so
    filler_on_next_word_s: float = 0.15
    # a filled pause ending at most this before a word of two syllables or more that Whisper
    # timed faster than fastest_syllable_s a syllable (8 a second; fast speakers reach about 7)
    # is that word's first syllable, timed late: "uh, Actually" for "actually"; and a stretch
    # heard on its own as more syllables than this allows is not what was said there
    late_word_within_s: float = 0.2
    fastest_syllable_s: float = 0.12
    # report: when fillers and silences become something to work on
    filler_rate_high: float = 4.0  # fillers per minute that listeners start to notice
    # an answer with a filler every few seconds is what a screener remembers, even if it was the only one
    filler_rate_severe: float = 12.0
    long_pause_s: float = 3.0  # a silence that long inside an answer sounds like a lost thread
    # speech habits (analysis/habits.py): what comes back is a habit, what is said once is not
    habit_phrase_min_count: int = 3  # a phrase said this often in one answer is "said again and again"
    habit_word_min_count: int = 2  # an answer's most used words are said at least this often
    session_word_min_count: int = 3  # and the session's, over all its answers
    # an "I think" now and then is natural; in most answers it makes a candidate sound unsure
    hedge_advice_min_count: int = 3
    hedge_advice_answer_share: float = 0.5
    # transcription confidence below which the interviewer asks to hear it again
    unreliable_logprob: float = -1.0
    # ...and below which an answer's words, so its word count and pace, are marked approximate.
    # bench/metrics_accuracy.py, tiny.en on espeak-ng answers: of the 59 answers whose pace was
    # over 12% off, 49 lay under it; the recordings of real people score -0.21 to -0.40
    unsure_logprob: float = -0.5
    # In such an answer a word Whisper gave under this probability is left out of the word count
    # (not out of the transcript): there most of them are one said word heard as several.
    # bench/metrics_accuracy.py, tiny.en on espeak-ng: of the words it wrote that were never
    # said, 44% scored under 0.3, of the words it heard right 5%. Only in unsure answers, because
    # in a sure one a low word is mostly a real one (JFK's second "ask" scores 0.18).
    uncounted_word_probability: float = 0.2
    # How far off an approximate word count can make the pace, so that a pace beyond the band
    # even then is still flagged (a fast talker is just who Whisper is unsure of: espeak at its
    # rate 260, 281 wpm, scored -0.52). bench/metrics_accuracy.py, the 100 approximate answers:
    # up to 33% over and 11% under the true pace; with room, as people were not measured.
    approximate_pace_over_max: float = 0.4
    approximate_pace_under_max: float = 0.2
    unreliable_no_speech: float = 0.8  # Whisper gives 0.6 on clear speech often; alone it means little


@dataclass(frozen=True)
class AsrConfig:
    model: str | None = None  # None: the embedded tiny.en; else a faster-whisper size name or a folder
    compute_type: str = "int8"
    beam_size: int = 5
    language: str = "en"
    # Silero's speech probability for Whisper's own speech filter: at 0.5 Whisper never heard
    # whole sentences of phone-band answers (same measurement as AnalysisConfig.vad_threshold)
    vad_threshold: float = 0.35


@dataclass(frozen=True)
class VoiceConfig:
    voice: str | None = None  # pyttsx3 voice id or name fragment; None picks an English voice
    rate_wpm: int = 165  # a calm phone-interviewer pace


@dataclass(frozen=True)
class InterviewConfig:
    max_followups_per_question: int = 2
    demo_think_s: float = 0.8  # scripted candidate's pause before answering
    interviewer_gap_s: float = 0.4  # quiet between two interviewer lines
    talk_over_s: float = 0.15  # speech this soon after the other side stops was already under way


@dataclass(frozen=True)
class LiveConfig:
    """Hands-free turn taking on live audio (Silero VAD on 32 ms frames, plus the words so far)."""

    vad_threshold: float = 0.5  # speech probability of a frame
    speech_start_s: float = 0.2  # this much speech starts an answer (shorter blips are noise)
    # the end of a turn: silence after a finished sentence, and after an unfinished one
    # ("and...", "um", a cut-off phrase), which is when people pause to think
    finished_silence_s: float = 0.6
    unfinished_silence_s: float = 2.4  # above the 2 s thinking pauses people take
    short_answer_words: int = 4  # a reply this short may be a start ("Well, ..."): wait as if unfinished
    short_answer_silence_s: float = 1.6
    # "let me think", "good question": the speaker has said a pause to think is coming; it runs
    # longer than the 2 s ones mid-answer
    thinking_aloud_silence_s: float = 5.0
    # on a role-play call, "Let me pull up your account.": the customer holds on this long in
    # silence while the agent looks it up, then checks in ("Hello? Are you still there?")
    on_hold_silence_s: float = 10.0
    # a turn so far that began "Uh," or "Um," with at most this many words after it is an answer
    # being thought out: wait as if unfinished (the words after the filler are often misheard:
    # "Uh, glad to be sitting." for "Uh, let me think,")
    hesitant_start_words: int = 6
    # incremental transcription: what was said so far is transcribed as soon as the speaker
    # pauses this long (the turn may be over); if they go on, it is kept as a piece only
    # after a real pause, so pieces do not split phrases (Whisper needs context)
    tentative_pause_s: float = 0.1
    commit_pause_s: float = 0.35
    short_piece_s: float = 1.0  # less speech than this waits for commit_pause_s before it is transcribed
    min_chunk_s: float = 2.0
    max_chunk_s: float = 25.0  # Whisper reads 30 s windows
    # the candidate talking while the interviewer speaks
    barge_in_s: float = 0.1  # speech this long stops the interviewer (Silero adds ~0.05 s, the speaker ~0.06 s)
    merge_window_s: float = 1.5  # talking again this soon after the turn closed continues the answer
    echo_correlation: float = 0.35  # microphone audio this similar to what was played is our own voice
    # silence and runaway answers
    no_speech_s: float = 8.0  # no answer this long after a question: offer to repeat it
    max_answer_s: float = 180.0  # a longer answer is politely interrupted, at the next breath
    breath_wait_s: float = 10.0  # or this much later if the speaker never pauses
    # past the limit, a pause this long is where the interviewer cuts in. A shorter one often
    # has the next word right after it, which takes the turn back (espeak-ng's comma pauses,
    # 0.16-0.22 s by the live VAD, up to 0.35 s with the audio stream's jitter, were cut into
    # at 0.15 s and at 0.35 s, and the answer went on). As long as finished_silence_s.
    breath_s: float = 0.6
    # the search for missed filled pauses runs on each stretch while the answer goes on; after
    # the reply is rendered the session waits at most this for stretches not yet searched
    # (a long answer without pauses leaves several; the reply must not wait for them)
    refine_wait_s: float = 0.3


@dataclass(frozen=True)
class Config:
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    asr: AsrConfig = field(default_factory=AsrConfig)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    interview: InterviewConfig = field(default_factory=InterviewConfig)
    live: LiveConfig = field(default_factory=LiveConfig)
