from wenda.cli import main

raise SystemExit(main())
