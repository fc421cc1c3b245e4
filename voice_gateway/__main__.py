"""python -m voice_gateway: the voicebot (WebSocket media stream on 8100, SIP on 5060/udp)."""

from __future__ import annotations

import logging

import uvicorn

from minwon.settings import get_settings
from voice_gateway.app import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.voice.host, port=settings.voice.port,
                log_level="info", ws_max_size=256 * 1024)


if __name__ == "__main__":
    main()
