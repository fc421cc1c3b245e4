"""Builds a tiny, randomly initialised Korean VITS in coqui-tts's own format (config.json
and a checkpoint), so the coqui engine is tested with a model and no download. Run under
the coqui venv: python -m tests.coqui_side.build_vits OUT_DIR. Its voice is noise: the test
checks the plumbing (loading, Hangul text in, 16 kHz audio out), not the sound."""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from TTS.tts.configs.shared_configs import CharactersConfig
from TTS.tts.configs.vits_config import VitsConfig
from TTS.tts.models.vits import Vits, VitsArgs

# Every precomposed Hangul syllable, so any Korean sentence tokenises.
HANGUL = "".join(chr(c) for c in range(0xAC00, 0xD7A4))


def build(out: Path) -> None:
    torch.manual_seed(0)
    args = VitsArgs(hidden_channels=32, hidden_channels_ffn_text_encoder=64, num_heads_text_encoder=2,
                    num_layers_text_encoder=2, num_layers_posterior_encoder=2, num_layers_flow=1,
                    use_sdp=False, init_discriminator=False,
                    resblock_type_decoder="2", resblock_kernel_sizes_decoder=[3],
                    resblock_dilation_sizes_decoder=[[1, 3]], upsample_rates_decoder=[8, 8, 4],
                    upsample_initial_channel_decoder=32, upsample_kernel_sizes_decoder=[16, 16, 8])
    config = VitsConfig(model_args=args, use_phonemes=False, text_cleaner="basic_cleaners",
                        characters=CharactersConfig(characters_class="TTS.tts.models.vits.VitsCharacters",
                                                    characters=HANGUL + "0123456789", punctuations=" .,?!~-",
                                                    pad="<PAD>", eos="<EOS>", bos="<BOS>", blank="<BLNK>"))
    config.audio.sample_rate = 16_000
    config.audio.hop_length = 256
    config.audio.win_length = 1024
    config.audio.fft_size = 1024
    model = Vits.init_from_config(config)
    out.mkdir(parents=True, exist_ok=True)
    config.save_json(str(out / "config.json"))
    torch.save({"model": model.state_dict(), "config": config.to_dict()}, out / "model.pth")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
