"""python -m api: serve the API with uvicorn on the configured host and port."""

import uvicorn

from api.app import create_app
from minwon.settings import get_settings

if __name__ == "__main__":
    s = get_settings()
    uvicorn.run(create_app(s), host=s.api_host, port=s.api_port, log_level="info")
