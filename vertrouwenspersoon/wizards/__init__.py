from . import vp_config_settings
