from lidzdaliba.cli import main

main()
