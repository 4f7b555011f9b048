"""A NautilusTrader system set up for one scenario: its kernel (message bus, cache,
portfolio, RiskEngine, ExecutionEngine, DataEngine), one simulated venue per venue of the
scenario, one instrument per (instrument, venue), one strategy per account.

The kernel comes from NautilusTrader's ``BacktestEngine``; the venues are built the way its
``add_venue`` builds them (``SimulatedExchange`` + ``BacktestExecClient``), but here, so that
the adapter holds each exchange and can hand it market data event by event: the engine's own
replay loop would drive the data itself, and the lab's driver must (docs/peers.md).

Prices and quantities are the scenario's integer units, given to NautilusTrader at the
instrument's decimals (``Price.from_raw``/``Quantity.from_raw``: no float, no rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# NautilusTrader has no type information mypy can read; these names are Any to mypy.
from nautilus_trader.backtest.config import BacktestEngineConfig
from nautilus_trader.backtest.engine import BacktestEngine, SimulatedExchange
from nautilus_trader.backtest.execution_client import BacktestExecClient
from nautilus_trader.backtest.models import FillModel, LeveragedMarginModel, MakerTakerFeeModel
from nautilus_trader.config import LoggingConfig, RiskEngineConfig
from nautilus_trader.model.currencies import USD
from nautilus_trader.model.enums import AccountType, BookType, CurrencyType, OmsType
from nautilus_trader.model.identifiers import InstrumentId, Symbol, TraderId, Venue
from nautilus_trader.model.instruments import CurrencyPair
from nautilus_trader.model.objects import (
    FIXED_PRECISION,
    MONEY_MAX,
    Currency,
    Money,
    Price,
    Quantity,
)

from hotpath_format import InstrumentMeta, ScenarioMeta

STARTING_DIGITS = 15
"""Each venue account holds 10^(15 − precision) of every currency (10¹³ USD, 10⁷ BTC): so
much that its balance checks never bind (ours have no cash limit; our exposure limits have
no counterpart there: docs/peers.md), and no more than its balance arithmetic, which goes
through doubles, keeps exact (below 2⁵³ of the smallest unit)."""

ANY_VENUE = 255


@dataclass(frozen=True)
class Listing:
    """One of our instruments on one of our venues: a NautilusTrader instrument."""

    instrument_id: Any
    price_scale: int
    """Multiplier from our price units to NautilusTrader's raw fixed-point price."""
    qty_scale: int
    price_precision: int
    qty_precision: int


class NautilusSystem:
    """The kernel, venues, listings; built fresh for every pass (like every engine of ours)."""

    def __init__(self, meta: ScenarioMeta, strategies: dict[int, Any], start_ns: int) -> None:
        self.meta = meta
        engine = BacktestEngine(
            BacktestEngineConfig(
                trader_id=TraderId("HOTPATH-001"),
                logging=LoggingConfig(bypass_logging=True),
                risk_engine=risk_config(meta),
            )
        )
        self.engine = engine
        self.kernel = engine.kernel
        self.clock = self.kernel.clock
        listed = {
            (ins.id, v.id): _listing(ins, venue_name(v.id))
            for ins in meta.instruments
            for v in meta.venues
        }
        currencies = {
            c.code: c for _, i in listed.values() for c in (i.base_currency, i.quote_currency)
        }
        balances = [Money(_starting(c), c) for _, c in sorted(currencies.items())]
        self.exchanges: dict[int, Any] = {}
        for v in meta.venues:
            self.exchanges[v.id] = self._add_venue(
                venue_name(v.id), balances or [Money(_starting(USD), USD)]
            )
        self.listings: dict[tuple[int, int], Listing] = {}
        for ins in meta.instruments:
            for v in meta.venues:
                listing, instrument = listed[(ins.id, v.id)]
                self.kernel.data_engine.process(instrument)  # into the cache, as add_instrument
                self.exchanges[v.id].add_instrument(instrument)
                self.listings[(ins.id, v.id)] = listing
        for strategy in strategies.values():
            engine.add_strategy(strategy)
        self.default_venue = min(self.exchanges)
        self.set_time(start_ns)
        for exchange in self.exchanges.values():
            exchange.initialize_account()
        self.kernel.start()

    def _add_venue(self, name: str, balances: list[Any]) -> Any:
        venue = Venue(name)
        exchange = SimulatedExchange(
            venue=venue,
            oms_type=OmsType.NETTING,
            # a cash account: its RiskEngine skips every notional and balance check for a
            # margin account (1.221), and we want its pre-trade checks on
            account_type=AccountType.CASH,
            starting_balances=balances,
            base_currency=None,  # one balance per currency: its sells need the base one
            default_leverage=Decimal(1),
            leverages={},
            margin_model=LeveragedMarginModel(),
            modules=[],
            portfolio=self.kernel.portfolio,
            msgbus=self.kernel.msgbus,
            cache=self.kernel.cache,
            fill_model=FillModel(),
            fee_model=MakerTakerFeeModel(),
            latency_model=None,
            book_type=BookType.L2_MBP,
            clock=self.kernel.clock,
            frozen_account=False,
            reject_stop_orders=True,
            support_gtd_orders=True,
            support_contingent_orders=True,
            use_position_ids=True,
            use_random_ids=False,
            use_reduce_only=True,
            # commands are matched when they arrive, not at the next data event: the
            # submit → accepted figure is then the path's own cost (its "sandbox" setting)
            use_message_queue=False,
            bar_execution=False,
            bar_adaptive_high_low_ordering=False,
            # our orders rest until a trade reaches them (docs/pipeline.md): let its trades
            # fill resting orders too, not only book deltas that cross them
            trade_execution=True,
        )
        client = BacktestExecClient(
            exchange=exchange,
            msgbus=self.kernel.msgbus,
            cache=self.kernel.cache,
            clock=self.kernel.clock,
            routing=False,
            frozen_account=False,
            allow_cash_borrowing=False,
        )
        exchange.register_client(client)
        self.kernel.exec_engine.register_client(client)
        self.engine._add_market_data_client_if_not_exists(venue)
        return exchange

    def set_time(self, ts: int) -> None:
        """Its clock to the scenario's time (the only time either pipeline knows)."""
        self.clock.set_time(ts)


def venue_name(venue_id: int) -> str:
    return f"V{venue_id}"


def risk_config(meta: ScenarioMeta) -> Any:
    """Its pre-trade checks on, with our limits where it has a counterpart: the maximum
    notional per order (per instrument there, per account here: the smallest account's), and
    the submit rate (one throttle for the trader there, one per account here: every
    account's allowance together, over the longest window, at least a millisecond)."""
    notional = min((a.limits.max_order_notional for a in meta.accounts), default=0)
    per_order: dict[str, int] = {}
    for ins in meta.instruments:
        # our notional is price units × qty units; its notional is in the quote currency,
        # and a limit beyond what its Money holds is no limit at all
        limit = max(1, notional // 10 ** (ins.price_decimals + ins.qty_decimals))
        if limit <= int(MONEY_MAX):
            for v in meta.venues:
                per_order[f"{ins.symbol}.{venue_name(v.id)}"] = limit
    count = sum(a.limits.rate_limit_count for a in meta.accounts) or 100
    window_ns = max((a.limits.rate_limit_window_ns for a in meta.accounts), default=10**9)
    rate = f"{count}/{_hms(max(window_ns, 1_000_000))}"
    return RiskEngineConfig(
        bypass=False,
        max_order_submit_rate=rate,
        max_order_modify_rate=rate,
        max_notional_per_order=per_order,
    )


def _starting(currency: Any) -> int:
    return int(10 ** (STARTING_DIGITS - currency.precision))


def _hms(ns: int) -> str:
    """A timedelta as its throttle settings spell it (``HH:MM:SS.ffffff``)."""
    us = ns // 1000
    s, us = divmod(us, 1_000_000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{us:06d}"


def _currency(code: str, precision: int) -> Any:
    try:
        known = Currency.from_str(code)
    except Exception:  # its registry raises for unknown codes; we make one then
        known = None
    if known is not None:
        return known
    return Currency(code, precision, 0, code, CurrencyType.CRYPTO)


def _listing(ins: InstrumentMeta, venue: str) -> tuple[Listing, Any]:
    instrument_id = InstrumentId(Symbol(ins.symbol), Venue(venue))
    base, _, quote = ins.symbol.partition("-")
    price_scale = 10 ** (FIXED_PRECISION - ins.price_decimals)
    qty_scale = 10 ** (FIXED_PRECISION - ins.qty_decimals)
    instrument = CurrencyPair(
        instrument_id=instrument_id,
        raw_symbol=Symbol(ins.symbol),
        base_currency=_currency(base or f"I{ins.id}", min(ins.qty_decimals, 9)),
        quote_currency=_currency(quote or "USD", min(ins.price_decimals, 9)),
        price_precision=ins.price_decimals,
        size_precision=ins.qty_decimals,
        price_increment=Price.from_raw(ins.tick_size * price_scale, ins.price_decimals),
        size_increment=Quantity.from_raw(ins.lot_size * qty_scale, ins.qty_decimals),
        ts_event=0,
        ts_init=0,
        max_quantity=Quantity.from_raw(ins.max_order_qty * qty_scale, ins.qty_decimals),
        max_price=Price.from_raw(ins.max_price * price_scale, ins.price_decimals),
        maker_fee=Decimal(0),
        taker_fee=Decimal(0),
    )
    listing = Listing(instrument_id, price_scale, qty_scale, ins.price_decimals, ins.qty_decimals)
    return listing, instrument
