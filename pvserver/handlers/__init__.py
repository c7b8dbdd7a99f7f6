"""The service's request handlers, one module per topic, mixed into :class:`pvserver.service.Service`.

changes (create, update, delete, batch, undo), views (updates, ResetCamera, cameras, render, information), files
(readers' paths, SaveData, Fetch), collaboration (chat, master, following, leaving); base holds what they share.
"""
