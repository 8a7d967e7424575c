from garrison.app import cli_main

cli_main()
