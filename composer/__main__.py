from composer.cli.app import main

main()
