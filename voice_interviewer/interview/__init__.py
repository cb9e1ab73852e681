"""The interview: question banks, the follow-up policy, the session loop, the scripted candidate."""
