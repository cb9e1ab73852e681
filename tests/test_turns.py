"""Turn taking, voice commands, the echo check and the phone line: pure functions and the streaming VAD."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SR, silence
from voice_interviewer.audio.echo import sounds_like_playback
from voice_interviewer.audio.phone import phone_line
from voice_interviewer.config import LiveConfig
from voice_interviewer.interview.commands import detect_command
from voice_interviewer.interview.liveview import level_bar
from voice_interviewer.interview.session import _is_yes
from voice_interviewer.report.summary import answers_of, without_continued
from voice_interviewer.speech.turns import FRAME, StreamingVad, silence_to_end_turn, sounds_finished

CFG = LiveConfig()


@pytest.mark.parametrize("text, finished", [
    ("I fixed the charge myself and she thanked me.", True),
    ("and she thank me", True),  # no full stop on a short last phrase: still an ending
    ("Can you repeat the question?", True),
    ("I called the customer back and...", False),  # Whisper's mark for a phrase cut off
    ("I went to the...", False),
    ("So the first thing I did was, um,", False),
    ("Well, I think that-", False),
    ("She was happy with that.", True),  # a sentence Whisper ends on "that"
    ("Sure, I can do that!", True),
    ("and I told her that", False),
    ("and I told her that...", False),
    ("I listened to her and", False),
    ("because", False),
    ("", False),
])
def test_sounds_finished(text, finished):
    assert sounds_finished(text) is finished


def test_silence_needed_depends_on_the_words():
    finished = silence_to_end_turn("I refunded the charge and she was happy.", False, CFG)
    unfinished = silence_to_end_turn("I refunded the charge and", False, CFG)
    short = silence_to_end_turn("Well.", False, CFG)
    command = silence_to_end_turn("Skip.", True, CFG)
    assert command == finished < short < unfinished
    assert unfinished > 2.0  # a 2 s thinking pause after "and" never ends the turn
    # a last stretch of speech Whisper wrote nothing for: the speaker may be thinking ("... uh,")
    assert silence_to_end_turn("I refunded the charge and she was happy.", False, CFG, last_stretch_heard=False) == unfinished
    assert silence_to_end_turn("Skip.", True, CFG, last_stretch_heard=False) == unfinished
    # a sentence whose last word runs on into an "um" the words leave out: thinking too
    assert silence_to_end_turn("I refunded the charge and she was happy.", False, CFG, ends_on_filler_sound=True) == unfinished
    assert silence_to_end_turn("Skip.", True, CFG, ends_on_filler_sound=True) == command


@pytest.mark.parametrize("text, wait", [
    ("Let me think.", "thinking"),
    ("I helped a customer last week, and, let me think,", "thinking"),
    ("That's a good question.", "thinking"),
    ("Hmm, give me a second.", "thinking"),
    ("Left me think", "thinking"),  # "let me" over a phone line
    ("Let Uh, me think.", "thinking"),  # a filled pause the primed pass wrote inside it
    ("So let me think, um.", "thinking"),
    ("Um, give me a hand cut.", "unfinished"),  # "Hmm, give me a second." over a phone line
    ("Uh, glad to be sitting.", "unfinished"),  # "Uh, let me think," in an echoing room
    ("Oh, let me dig.", "unfinished"),
    ("Right. Hm.", "unfinished"),  # Whisper's "Hm" is a filled pause like "hmm"
    ("Yes.", "short"),
    ("I don't know.", "short"),
    ("Uh, I handled the refund myself and she was happy.", "finished"),  # a hesitant start, then an answer
    ("I like to think.", "finished"),
    ("Let me think about it and call you back, I said, and she agreed.", "finished"),
])
def test_a_turn_that_announces_or_begins_a_pause_to_think_waits_for_it(text, wait):
    """A real interviewer does not reply 0.6 s after "Uh, let me think.": the speaker has said a
    pause is coming. Heard before such a pause (bench/thinking_pause.py), a finished-looking text
    closed the turn inside it."""
    seconds = {"thinking": CFG.thinking_aloud_silence_s, "unfinished": CFG.unfinished_silence_s,
               "short": CFG.short_answer_silence_s, "finished": CFG.finished_silence_s}
    assert silence_to_end_turn(text, False, CFG) == seconds[wait]
    assert CFG.thinking_aloud_silence_s > CFG.unfinished_silence_s > 2.0
    # a command is a command, whatever precedes it
    assert silence_to_end_turn("Let me think. Skip this one.", True, CFG) == CFG.finished_silence_s


@pytest.mark.parametrize("text, hold", [
    ("Let me pull up your account.", True),
    ("I understand, let me check that for you.", True),
    ("Okay, let me look into that for you", True),  # Whisper often leaves off the last full stop
    ("I'm so sorry. Let me see what I can do.", True),
    ("I'll just check your order.", True),
    ("One moment, please.", True),
    ("Bear with me.", True),
    ("Please hold.", True),
    ("Let me just go into the billing system here.", True),
    ("Let me double-check that.", True),
    ("I'm going to check your account now.", True),
    ("Bear with me while I check that.", True),
    ("One moment while I pull that up.", True),
    ("Please hold while I look into this", True),
    # next steps and fixes are no hold: the customer answers them at once
    ("I'll look into it and call you back tomorrow.", False),
    ("Let me get that fixed for you.", False),
    ("I'll send you an email confirmation.", False),
    ("Let me check your account and call you back with the details tomorrow morning.", False),
    ("Let me pull up your account. I can see the double charge.", False),
    ("Let me make sure I have this right.", False),
    ("Let me explain what happened.", False),
    ("I'm going to check and call you back.", False),
    ("I'll just check that and get back to you.", False),
    ("Let me look into it tonight.", False),
    ("While I have you, is your address still the same?", False),
])
def test_on_a_call_an_announced_look_up_puts_the_customer_on_hold(text, hold):
    """"Let me pull up your account." and the agent types in silence: a customer holds on; one who
    answered 0.6 s later would be talked over by the agent's next words, and the call escalate."""
    waits = silence_to_end_turn(text, False, CFG, on_call=True)
    assert (waits == CFG.on_hold_silence_s) is hold, waits
    assert CFG.on_hold_silence_s > CFG.thinking_aloud_silence_s
    # only on a call: in an interview such words end an answer as any others do
    assert silence_to_end_turn(text, False, CFG) < CFG.on_hold_silence_s
    # a command, or a last stretch Whisper wrote nothing for, is judged as before
    assert silence_to_end_turn(text, True, CFG, on_call=True) == CFG.finished_silence_s
    assert silence_to_end_turn(text, False, CFG, last_stretch_heard=False, on_call=True) == CFG.unfinished_silence_s


def test_a_lone_uh_after_a_pause_keeps_the_turn_open_and_is_counted(synth, piece_transcriber):
    """"... what my supervisor says, [0.7 s] uh, [thinking]". The live path cuts a piece at the
    pause, both passes hear the lone "uh" as nothing, and the words so far end a sentence: the
    interviewer must not take that for the end of the answer. The refine worker finds the "uh"."""
    from voice_interviewer.analysis.fillers import is_filled_pause
    from voice_interviewer.interview.handsfree import _Turn
    from voice_interviewer.speech.incremental import join_pieces

    def said(text: str) -> np.ndarray:
        audio = synth.synthesize(text, voice="en-gb-x-rp", rate_wpm=150)
        loud = np.flatnonzero(np.abs(audio) > 0.01)
        return audio[loud[0]:loud[-1] + 1]

    first, uh = said("I listen to what my supervisor says,"), said("uh,")
    audio = np.concatenate([silence(0.3), first, silence(0.7), uh, silence(0.1)])
    cut = int(0.3 * SR) + first.size + int(0.1 * SR)  # a live piece ends 0.1 s after its speech
    worker = piece_transcriber
    pieces = [worker.submit(0, cut, audio[:cut]), worker.submit(cut, audio.size, audio[cut:])]
    assert all(p.done.wait(60) for p in pieces)
    # the premise: a finished sentence, then a stretch of speech with no word
    assert sounds_finished(pieces[0].text) and pieces[1].regions and pieces[1].words == [], pieces[1].text
    assert _Turn(0, cut, pieces=pieces[:1]).silence_to_end(CFG) == CFG.finished_silence_s
    assert _Turn(0, cut, pieces=pieces[:1], tentative=pieces[1]).silence_to_end(CFG) == CFG.unfinished_silence_s
    assert _Turn(0, audio.size, pieces=pieces).silence_to_end(CFG) == CFG.unfinished_silence_s
    complete, _ = join_pieces(pieces, 0, audio.size, "tiny", refined=True, wait_s=60)
    found = [w for w in complete.words if is_filled_pause(w.text)]
    assert len(found) == 1 and found[0].start >= cut / SR, [(w.text, w.start) for w in complete.words]


@pytest.mark.parametrize("voice", ["en-029", "en-gb-scotland"])
def test_an_um_glued_to_the_last_word_keeps_the_turn_open(synth, piece_transcriber, voice):
    """"I refunded the charge the same day-uhh" and the speaker goes on thinking. Both passes
    write the sentence without the "uh" (the words alone would close the turn after 0.6 s); the
    speech ends on a held sound that, heard alone, is a filled pause: the turn stays open. The
    same sentence said without it closes as before."""
    from bench.trailing_filler import spoken
    from voice_interviewer.interview.handsfree import _Turn

    glued = spoken(synth, "I refunded the charge the same day uh", voice)
    finished = spoken(synth, "I refunded the charge the same day.", voice)
    pieces = [piece_transcriber.submit(0, a.size, a) for a in (glued, finished)]
    assert all(p.done.wait(60) for p in pieces)
    with_um, without = pieces
    # the premise: the words end a sentence, so they alone would close the turn
    assert silence_to_end_turn(with_um.text, False, CFG) == CFG.finished_silence_s, with_um.text
    assert with_um.ends_on_filler_sound and not without.ends_on_filler_sound
    assert _Turn(0, glued.size, pieces=[with_um]).silence_to_end(CFG) == CFG.unfinished_silence_s
    assert _Turn(0, finished.size, pieces=[without]).silence_to_end(CFG) == CFG.finished_silence_s


@pytest.mark.parametrize("voice", ["en-us", "en-gb-x-rp"])
def test_in_an_echoing_room_an_um_glued_to_the_last_word_keeps_the_turn_open(synth, piece_transcriber, voice):
    """In a room of RT60 0.5 s the echo of the word before runs on over a glued "uh", and no held
    sound is steady: with the room not known the turn closes 0.6 s after "...this job-uhh". Known
    from the session's answers before, the end of the speech is heard as it is, and the echo of
    the held "uh" is an "uh" to Whisper: the turn stays open. The finished sentence still closes."""
    from bench.metrics_accuracy import reverberant
    from bench.trailing_filler import PAD, spoken
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.interview.handsfree import _Turn
    from voice_interviewer.speech.vad import speech_regions

    def in_room(text: str) -> np.ndarray:  # cut as the live path cuts it: PAD after the speech heard, echo and all
        heard = reverberant(np.concatenate([spoken(synth, text, voice), silence(0.6)]))
        return heard[: int((speech_regions(heard, AnalysisConfig())[-1][1] + PAD) * SR)]

    glued, finished = in_room("That is why I want this job uh"), in_room("That is why I want this job.")
    pieces = [piece_transcriber.submit(0, a.size, a, room_rt60_s=room)
              for a, room in ((glued, 0.0), (glued, 0.5), (finished, 0.5))]
    assert all(p.done.wait(60) for p in pieces)
    not_known, with_um, without = pieces
    # the premise: the words end a sentence, and with the room not known the sound check finds no held sound
    assert silence_to_end_turn(with_um.text, False, CFG) == CFG.finished_silence_s, with_um.text
    assert not not_known.ends_on_filler_sound
    assert with_um.ends_on_filler_sound and not without.ends_on_filler_sound
    assert _Turn(0, glued.size, pieces=[with_um]).silence_to_end(CFG) == CFG.unfinished_silence_s
    assert _Turn(0, finished.size, pieces=[without]).silence_to_end(CFG) == CFG.finished_silence_s


def test_a_live_session_knows_its_echoing_room_once_two_speech_ends_have_died_away(synth):
    """Each turn one sentence and the silence that closed it, its speech where the streaming VAD
    heard it: after one turn the room is not known (one end may be a voice's slow fade); after two
    in a room of RT60 0.5 s it is, near that; a dry session stays dry."""
    from bench.metrics_accuracy import reverberant
    from bench.trailing_filler import spoken
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.speech.room import SessionRoom
    from voice_interviewer.speech.turns import FRAME_S

    said = [spoken(synth, t, "en-us") for t in ("I refunded the charge the same day.", "Then I called her back.")]
    for room in (False, True):
        session = SessionRoom(AnalysisConfig())
        known = []
        for turn, audio in enumerate(said):
            heard = np.concatenate([audio, silence(1.0)])
            heard = reverberant(heard) if room else heard
            heard = heard + np.random.default_rng(turn).standard_normal(heard.size).astype(np.float32) * 3e-4  # a hiss
            speech = np.array(StreamingVad().feed(heard)) >= CFG.vad_threshold
            known.append(session.hear(turn, heard, speech, FRAME_S))
        assert known[0] == 0.0
        assert known[1] == (pytest.approx(0.5, abs=0.15) if room else 0.0)
        # a turn heard again as it goes on replaces what it gave: the room stays what it was
        assert session.hear(1, heard, speech, FRAME_S) == known[1]


@pytest.mark.parametrize("text, command", [
    ("Can you repeat the question?", "repeat"),
    ("Sorry, could you say that again?", "repeat"),
    ("What do you mean?", "clarify"),
    ("Could you clarify?", "clarify"),
    ("skip this one please", "skip"),
    ("Next question.", "skip"),
    ("Can we take a break?", "pause"),
    ("Pause.", "pause"),
    ("Okay, I'm back. Let's continue.", "resume"),
    ("Resume the interview.", "resume"),
    ("I'd like to end the interview.", "end"),
    ("And the interview.", "end"),  # how tiny.en writes "end the interview"
    ("Stop.", "end"),
    ("Let's stop here.", "end"),
    # inside real answers, the same words are not commands
    ("I had to stop the service for the customer and then I called them back the next day.", None),
    ("I really like helping people.", None),
    ("I asked him what he meant by the charge, and then I explained the bill line by line.", None),
    ("", None),
])
def test_detect_command(text, command):
    assert detect_command(text) == command


def test_only_short_words_that_give_no_command_are_heard_again_and_never_as_end():
    from voice_interviewer.interview.commands import command_heard_primed, may_be_command

    assert may_be_command("Keep it wet, clean.") and may_be_command("Let's get this one, please.")
    assert not may_be_command("Skip this one, please.")  # already a command
    assert not may_be_command("")
    assert not may_be_command("I stayed late to help a customer with a billing problem, and then")
    assert command_heard_primed("Skip this one, please.") == "skip"
    # "No, never." over a phone line, primed with the commands: never ends the interview, only asks
    assert command_heard_primed("Don't end the interview.") == "confirm_end"
    assert command_heard_primed("Yes, I did.") is None


@pytest.mark.parametrize("channel", ["phone line", "room RT60 0.5 s"])
def test_a_misheard_skip_is_heard_again_with_the_commands_in_mind(synth, piece_transcriber, channel):
    """"Skip this one, please." comes back as "Keep it wet, clean." over a phone line and "Let's
    keep this one, please." in a room (bench/commands_heard.py); the first stretch of a turn is
    heard again primed with the commands, and the turn is the command. A short answer is not."""
    from bench.thinking_pause import CONDITIONS, live_piece, spoken
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.interview.handsfree import _Turn

    def piece_of(text: str):
        said = np.concatenate([silence(1.0), spoken(synth, text, "en-us"), silence(1.0)])
        audio = live_piece(CONDITIONS[channel](said).astype(np.float32), AnalysisConfig())
        piece = piece_transcriber.submit(0, audio.size, audio, hear_command=True)
        assert piece.done.wait(60)
        return piece

    skip, answer = piece_of("Skip this one, please."), piece_of("I stayed late to help her.")
    assert detect_command(skip.text) is None, skip.text  # the premise: the words give no command
    assert skip.command == "skip"
    assert _Turn(0, 0, pieces=[skip]).command() == "skip"
    assert _Turn(0, 0, pieces=[skip]).silence_to_end(CFG) == CFG.finished_silence_s
    assert answer.command is None and _Turn(0, 0, pieces=[answer]).command() is None, answer.text
    # a later stretch of a turn is never a command
    assert _Turn(0, 0, pieces=[answer, skip]).command() is None


def test_no_stretch_of_real_peoples_speech_is_heard_as_a_command(real_recordings, piece_transcriber):
    """Hearing a short first stretch again primed with the commands must not turn what real people
    say into one: every stretch of the recordings in ../shared/audio, cut as the first piece of a
    turn is (0.3 s before the speech, 0.1 s after it). bench/commands_heard.py does this over the
    phone line, the room and noise too."""
    from voice_interviewer.audio.wav import read_audio
    from voice_interviewer.config import SAMPLE_RATE
    from voice_interviewer.interview.commands import may_be_command, sounds_like_ending
    from voice_interviewer.interview.handsfree import _Turn
    from voice_interviewer.speech.vad import speech_regions

    heard_again, commands = 0, []
    for meta in real_recordings.values():
        audio = read_audio(meta["path"])
        for start, end in speech_regions(audio):
            stretch = audio[max(0, int((start - 0.3) * SAMPLE_RATE)): int((end + 0.1) * SAMPLE_RATE)]
            piece = piece_transcriber.submit(0, stretch.size, stretch, hear_command=True)
            assert piece.done.wait(60)
            heard_again += may_be_command(piece.text)
            # nor asked whether they want to end ("confirm_end", or words that sound like it)
            if _Turn(0, 0, pieces=[piece]).command() is not None or sounds_like_ending(piece.text):
                commands.append((meta["path"].name, piece.text, piece.command))
    assert heard_again >= 10  # the premise: most stretches are short enough to be heard again
    assert commands == []


def test_yes_after_an_offer_to_repeat():
    assert _is_yes("Yes, please.") and _is_yes("Sure.") and _is_yes("okay go ahead")
    assert not _is_yes("Yesterday I helped a customer with a refund and she was very happy about it.")
    assert not _is_yes("No, thanks.")


@pytest.mark.parametrize("text, ask", [
    # how tiny.en heard espeak voices say "I'd like to end the interview." (bench/commands_heard.py)
    ("I'd like to end in the mute.", True),
    ("I'd like to end the end of you.", True),
    ("I'd like to end mid-intermute.", True),
    ("I'd like to stop.", True),
    ("Can we stop?", True),
    # a clear command is obeyed, not asked about
    ("I'd like to end the interview.", False),
    ("Let's stop here.", False),
    # answers
    ("I'd like to finish with an example.", False),
    ("I stopped the service and called her back.", False),
    ("I need to stop the charges.", False),
    ("I have to stop and think about that.", False),
    ("Can we stop here, for today?", True),
    ("I want to end every call with a thank you to the caller.", False),  # longer than a command
    ("", False),
])
def test_a_short_turn_that_sounds_like_ending_is_asked_about(text, ask):
    from voice_interviewer.interview.commands import sounds_like_ending

    assert sounds_like_ending(text) is ask


def test_no_after_the_question_whether_to_end():
    from voice_interviewer.interview.session import _is_no

    assert _is_no("No.") and _is_no("No, let's go on.") and _is_no("Not yet") and _is_no("nope")
    assert not _is_no("Nobody had ever called about it before, so I looked it up.")
    assert not _is_no("Yes, please.")


def test_streaming_vad_matches_the_whole_file_pass(synth):
    """Frame by frame, with state carried over, Silero gives what faster-whisper's batch pass gives."""
    from faster_whisper.vad import get_vad_model

    audio = np.concatenate([silence(0.7), synth.synthesize("I called the customer back the next day."), silence(1.2),
                            synth.synthesize("She was happy with the refund."), silence(0.5)])
    audio = audio[: audio.size // FRAME * FRAME]
    whole = np.ravel(get_vad_model()(audio))
    vad = StreamingVad()
    streamed: list[float] = []
    rng = np.random.default_rng(0)
    pos = 0
    while pos < audio.size:  # blocks of odd sizes, as a sound card delivers them
        step = int(rng.integers(100, 3000))
        streamed += vad.feed(audio[pos:pos + step])
        pos += step
    assert len(streamed) == whole.size
    assert np.max(np.abs(np.array(streamed) - whole)) < 1e-4
    assert max(streamed) > 0.9 and min(streamed) < 0.1  # it does see speech and silence


def test_echo_of_the_interviewer_is_recognised_and_a_person_is_not(synth):
    line = synth.synthesize("Tell me about a time you helped an upset customer on the phone.")
    person = synth.synthesize("Sorry, can I stop you there? I have a question.", voice="gmw/en-US-nyc", rate_wpm=140)
    rng = np.random.default_rng(1)
    at, delay, n = int(1.5 * SR), int(0.08 * SR), int(0.3 * SR)
    played = line[at - delay - SR // 2: at - delay + n]
    echo = 0.3 * line[at - delay: at - delay + n] + 0.01 * rng.standard_normal(n)
    talk = person[SR // 2: SR // 2 + n] + 0.05 * line[at - delay: at - delay + n]
    assert sounds_like_playback(echo.astype(np.float32), played, CFG.echo_correlation)
    assert not sounds_like_playback(talk.astype(np.float32), played, CFG.echo_correlation)
    assert not sounds_like_playback(silence(0.3), played, CFG.echo_correlation)


def test_phone_line_keeps_the_voice_band_only():
    t = np.arange(SR) / SR
    audio = (0.3 * np.sin(2 * np.pi * 100 * t) + 0.3 * np.sin(2 * np.pi * 1000 * t)
             + 0.3 * np.sin(2 * np.pi * 6000 * t)).astype(np.float32)
    out = phone_line(audio)
    assert out.size == audio.size and out.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(out))
    freqs = np.fft.rfftfreq(out.size, 1 / SR)

    def at(f: float) -> float:
        return float(spectrum[np.argmin(np.abs(freqs - f))])

    assert at(1000) > 100 * at(100) and at(1000) > 100 * at(6000)
    assert phone_line(np.zeros(0, np.float32)).size == 0
    for n in (100, 1000):  # a click stays where it was, in a clip shorter or longer than the filter
        click = np.zeros(n, np.float32)
        click[n // 2] = 1.0
        out = phone_line(click)
        assert out.size == n and int(np.argmax(np.abs(out))) == n // 2


def test_a_sound_on_the_phone_line_stops_when_it_stops():
    """A voiced sound (150 Hz and its harmonics, one right at the 300 Hz band edge) between two silences.

    A line's band filter is short: 20 ms from the sound's edges the silence is still
    silence. (A cut of the whole spectrum left it only 7-15 dB under the sound, on both sides.)
    """
    t = np.arange(SR) / SR
    voiced = 0.1 * sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 20))
    audio = np.concatenate([silence(1.0), voiced.astype(np.float32), silence(1.0)])
    out = phone_line(audio)

    def rms_db(x: np.ndarray) -> float:
        return 20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-12)

    sound = rms_db(out[SR: 2 * SR])
    margin = int(0.02 * SR)
    assert sound > -30
    assert rms_db(out[: SR - margin]) < sound - 60
    assert rms_db(out[2 * SR + margin:]) < sound - 60


def test_level_bar():
    assert level_bar(-120.0, 10) == "·" * 10
    assert level_bar(0.0, 10) == "█" * 10
    assert level_bar(-30.0, 10).count("█") == 5


def test_a_continued_answer_replaces_the_partial_one():
    events = [
        {"type": "session_start", "questions": ["a"]},
        {"type": "question", "question_id": "a"},
        {"type": "answer", "question_id": "a", "turn": 0, "analysis": {"transcript": "I fixed the bill."}},
        {"type": "followup", "question_id": "a", "turn": 0, "kind": "next_question"},
        {"type": "command", "command": "continue", "question_id": "a", "turn": 0},
        {"type": "answer", "question_id": "a", "turn": 0, "analysis": {"transcript": "I fixed the bill. Then I called back."}},
        {"type": "followup", "question_id": "a", "turn": 0, "kind": "ask_result"},
    ]
    kept = without_continued(events)
    assert [e["type"] for e in kept] == ["session_start", "question", "command", "answer", "followup"]
    assert [a["analysis"]["transcript"] for a in answers_of(events)] == ["I fixed the bill. Then I called back."]


def test_the_live_view_shows_question_state_level_and_transcript():
    import io

    from rich.console import Console

    from voice_interviewer.interview.liveview import RichView

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    view = RichView(console)
    view.question("Tell me about a time you helped a customer.")
    view.state("listening")
    view.level(-12.0)
    view.heard("Last year I stayed late")
    view.heard("and she thanked me.")
    console.print(view.render())
    text = out.getvalue()
    assert "Tell me about a time you helped a customer." in text
    assert "listening" in text and "-12.0 dBFS" in text
    assert "Last year I stayed late and she thanked me." in text
    assert level_bar(-12.0) in text
    view.question("Why do you want to work in customer support?")  # a new question clears the transcript
    out.truncate(0)
    console.print(view.render())
    assert "stayed late" not in out.getvalue()


@pytest.mark.parametrize("voice", ["en-us", "en-gb-scotland"])
def test_uh_let_me_think_keeps_the_turn_open_for_the_pause_it_announces(synth, piece_transcriber, voice):
    """Said before a pause to think, "Uh, let me think," is written as a finished sentence
    ("Uh, let me think.", four words): the words alone used to close the turn 0.6 s later."""
    from bench.thinking_pause import live_piece, spoken
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.interview.handsfree import _Turn

    audio = live_piece(np.concatenate([silence(1.0), spoken(synth, "Uh, let me think,", voice), silence(1.0)]),
                       AnalysisConfig())
    piece = piece_transcriber.submit(0, audio.size, audio)
    assert piece.done.wait(60)
    assert sounds_finished(piece.text), piece.text  # the premise: it reads as an ending
    assert _Turn(0, audio.size, pieces=[piece]).silence_to_end(CFG) == CFG.thinking_aloud_silence_s, piece.text


def test_text_more_than_the_speech_could_hold_is_taken_for_made_up(synth):
    """In an echoing room a lone "So, um," came back from the plain pass as "Thank you for joining
    us for today. Thank you very much." (a live session's log): a finished answer to the words,
    which closed the turn inside a thinking pause. Eleven words are more than anyone says in the
    second of speech the VAD finds there; the words that were said there are kept."""
    from bench.metrics_accuracy import reverberant
    from bench.thinking_pause import live_piece, spoken
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.speech.asr import Transcript, Word
    from voice_interviewer.speech.incremental import _unless_made_up
    from voice_interviewer.speech.vad import speech_regions

    cfg = AnalysisConfig()
    audio = live_piece(reverberant(np.concatenate([silence(1.0), spoken(synth, "So, um,", "en-us"), silence(1.5)])), cfg)
    regions = speech_regions(audio, cfg)
    assert 0.5 < sum(b - a for a, b in regions) < 1.5, regions  # the premise: about a second of speech

    def heard(text: str) -> Transcript:
        tokens = text.split()
        step = (audio.size / SR - 0.3) / len(tokens)  # spread over the piece, as Whisper times them
        words = [Word(t, 0.3 + i * step, 0.3 + (i + 1) * step, 0.6) for i, t in enumerate(tokens)]
        return Transcript(words, [], audio.size / SR, "tiny", text)

    made_up = heard("Thank you for joining us for today. Thank you very much.")
    assert _unless_made_up(made_up, regions, cfg).words == []
    assert _unless_made_up(heard("So, um."), regions, cfg) == heard("So, um.")
    assert _unless_made_up(made_up, [], cfg) == made_up  # no speech found: not judged


def test_fast_speech_is_never_taken_for_made_up(synth, piece_transcriber):
    """The made-up check must leave real speech alone: a long sentence said at 260 words a minute
    keeps its words."""
    from bench.thinking_pause import live_piece
    from voice_interviewer.config import AnalysisConfig

    text = "I called the customer back the same afternoon and refunded the whole charge to her card myself."
    said = synth.synthesize(text, voice="en-us", rate_wpm=260)
    audio = live_piece(np.concatenate([silence(0.5), said, silence(0.5)]), AnalysisConfig())
    piece = piece_transcriber.submit(0, audio.size, audio)
    assert piece.done.wait(60)
    assert len(piece.plain.words) >= 14, piece.plain.text
