"""What every part of the window uses: colours, settings, file dialogs' words, small helpers."""
