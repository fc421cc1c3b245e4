"""KakaoTalk (Kakao i Open Builder) skill gateway: payload parsing, response rendering
within Kakao's limits, and the outbound sender for counsellor replies."""
