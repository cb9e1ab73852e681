from voice_interviewer.cli import main

raise SystemExit(main())
