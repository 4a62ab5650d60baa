"""The classes window and what only it uses: its weights table, its file, its worker client."""
