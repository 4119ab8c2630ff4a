# Flood guard (bot/middleware/flood-guard.ts): more than 20 updates a minute from one person.
flood-slow-down = You are sending messages too fast. Please wait a minute, then send again; what you send during this minute is not read.
