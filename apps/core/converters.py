"""URL converters. `<id:...>` is a row id as the database can hold it: a positive 64-bit integer. A
larger number does not match, so a tampered URL is "not found" before any query is built."""

DATABASE_ID_MAX = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= DATABASE_ID_MAX:
            raise ValueError(f"{value} is not a row id")
        return number

    def to_url(self, value) -> str:
        return str(int(value))
