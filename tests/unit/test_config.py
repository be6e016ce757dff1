import pytest

from shared.config import EMBEDDED_JWT_SECRET, Config, environment_variables


def test_defaults_are_embedded_mode():
    config = Config.from_env({})
    assert config.embedded
    assert config.kafka_bootstrap_servers == "127.0.0.1:9092"
    assert config.mongo_uri.startswith("mongomock://")
    config.check()


def test_environment_overrides_and_casts():
    config = Config.from_env({"KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", "RAWBANK_PORT": "9001",
                              "RAWBANK_SEED_DEMO": "yes", "MONGO_URI": "mongodb://db:27017"})
    assert (config.kafka_bootstrap_servers, config.port, config.seed_demo) == ("kafka:9092", 9001, True)
    assert not config.embedded


def test_empty_values_fall_back_to_defaults():
    assert Config.from_env({"RAWBANK_PORT": ""}).port == 0


def test_bad_number_names_the_variable():
    with pytest.raises(ValueError, match="RAWBANK_PORT") as refused:
        Config.from_env({"RAWBANK_PORT": "eighty"})
    assert refused.value.hi.startswith("RAWBANK_PORT='eighty' सही नहीं है")


def test_a_poll_interval_apache_kafka_would_refuse_is_refused_at_start():
    """The consumer's group session is as long as its poll interval up to 10 s; Apache Kafka refuses a session under
    group.min.session.timeout.ms (6 s by default), and the worker then retried its join for ever, consuming nothing."""
    with pytest.raises(ValueError, match="KAFKA_MAX_POLL_INTERVAL_MS='5000' is not valid") as refused:
        Config.from_env({"KAFKA_MAX_POLL_INTERVAL_MS": "5000"})
    assert "6000" in str(refused.value) and "6000" in refused.value.hi
    assert Config.from_env({"KAFKA_MAX_POLL_INTERVAL_MS": "6000"}).kafka_max_poll_interval_ms == 6000


def test_production_refuses_the_embedded_secret_and_short_secrets():
    with pytest.raises(ValueError, match="RAWBANK_JWT_SECRET must be set") as refused:
        Config.from_env({"MONGO_URI": "mongodb://db"}).check()
    assert "token_urlsafe" in str(refused.value)  # how to make one
    assert "RAWBANK_JWT_SECRET" in refused.value.hi and "बनाएँ" in refused.value.hi
    assert EMBEDDED_JWT_SECRET
    with pytest.raises(ValueError, match="at least 32") as refused:
        Config.from_env({"RAWBANK_JWT_SECRET": "short"}).check()
    assert "कम से कम 32" in refused.value.hi
    Config.from_env({"MONGO_URI": "mongodb://db", "RAWBANK_JWT_SECRET": "x" * 40}).check()


def test_every_setting_has_a_documented_variable():
    names = environment_variables()
    assert {"KAFKA_BOOTSTRAP_SERVERS", "MONGO_URI", "RAWBANK_JWT_SECRET"} <= set(names)
    assert all(doc for doc in names.values())


def test_trusted_proxies_are_addresses_or_networks():
    config = Config.from_env({"RAWBANK_TRUSTED_PROXIES": "10.0.0.1, 172.16.0.0/12,::1"})
    assert [str(n) for n in config.proxy_networks] == ["10.0.0.1/32", "172.16.0.0/12", "::1/128"]
    with pytest.raises(ValueError, match="RAWBANK_TRUSTED_PROXIES"):
        Config.from_env({"RAWBANK_TRUSTED_PROXIES": "proxy.example.org"}).check()
