"""Rendering on the data server: parallel image compositing and image encoding."""
