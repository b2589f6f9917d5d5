#include <spm/demo/company.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/period.hpp>
#include <spm/core/random.hpp>

namespace spm::demo {
namespace {

using io::Column;

struct RegionSeed {
  const char* name;
  double lat;
  double lon;
};
// Sales regions centred on real metro areas so that territory distances look like real ones.
constexpr std::array<RegionSeed, 8> region_seeds{{{"Northeast", 40.71, -74.01},
                                                  {"Southeast", 33.75, -84.39},
                                                  {"Midwest", 41.88, -87.63},
                                                  {"South Central", 32.78, -96.80},
                                                  {"Mountain", 39.74, -104.99},
                                                  {"Pacific Northwest", 47.61, -122.33},
                                                  {"California", 37.77, -122.42},
                                                  {"Mid-Atlantic", 38.91, -77.04}}};

struct ProductSeed {
  const char* id;
  const char* name;
  const char* family;
  std::int64_t list_cents;
};
constexpr std::array<ProductSeed, 6> product_seeds{{{"P-CORE", "Core Platform", "platform", 2400000},
                                                    {"P-ANLY", "Analytics", "add-on", 900000},
                                                    {"P-INTG", "Integrations", "add-on", 600000},
                                                    {"P-ENTS", "Enterprise Suite", "platform", 7500000},
                                                    {"P-SUPP", "Premium Support", "service", 450000},
                                                    {"P-TRNG", "Training", "service", 250000}}};

constexpr std::array<const char*, 6> industries{"software", "manufacturing", "healthcare",
                                                "finance",  "retail",        "public sector"};
constexpr std::array<const char*, 4> sources{"inbound", "outbound", "partner", "expansion"};
constexpr std::array<const char*, 12> first_names{"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid",
                                                  "Grace", "Hugo", "Ines", "Jon", "Kira", "Luis"};
constexpr std::array<const char*, 12> last_names{"Novak", "Okafor", "Patel", "Quinn", "Rossi",
                                                 "Sato", "Tanaka", "Usman", "Varga", "Weber",
                                                 "Xu", "Young"};

std::string id(const char* prefix, std::size_t n, int width) {
  std::string digits = std::to_string(n);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return std::string(prefix) + digits;
}

Decimal cents(double value) {
  return Decimal::from_units(static_cast<std::int64_t>(std::llround(value * 100.0)), 2);
}

Decimal coordinate(double v) {
  return Decimal::from_units(static_cast<std::int64_t>(std::llround(v * 1e5)), 5);
}

std::string person(Random& rng) {
  return std::string(first_names[rng.below(first_names.size())]) + " " +
         last_names[rng.below(last_names.size())];
}

}  // namespace

std::size_t reps_for_size(std::string_view size) {
  if (size == "small") return 12;
  if (size == "medium") return 40;
  if (size == "large") return 400;
  std::size_t n = 0;
  bool ok = !size.empty() && size.size() <= 6;
  for (const char c : size) {
    if (c < '0' || c > '9') ok = false;
    else n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (!ok || n < 2) {
    throw InvalidInputError("demo.size", "--size",
                            "'" + std::string(size) +
                                "' is not a size; use small, medium, large or a number of reps "
                                "from 2 to 999999");
  }
  return n;
}

Company generate_company(const CompanyOptions& opt) {
  if (opt.reps < 2 || opt.history_years < 1 || opt.accounts_per_rep < 1) {
    throw InvalidInputError("demo.options", "",
                            "a demo company needs at least 2 reps, 1 year of history and 1 "
                            "account per rep");
  }
  Random rng(opt.seed);
  Company co;
  co.as_of = opt.as_of;
  const std::string ccy(opt.currency.code());
  const Date history_start = opt.as_of.add_months(-12 * opt.history_years);

  // Regions: about one per 12 reps.
  const std::size_t n_regions = std::clamp<std::size_t>(opt.reps / 12 + 1, 2, region_seeds.size());
  {
    std::vector<std::string> ids, names;
    std::vector<Decimal> lat, lon;
    for (std::size_t r = 0; r < n_regions; ++r) {
      ids.push_back(id("R", r + 1, 2));
      names.emplace_back(region_seeds[r].name);
      lat.push_back(coordinate(region_seeds[r].lat));
      lon.push_back(coordinate(region_seeds[r].lon));
    }
    co.regions.add(Column::of("region_id", ids)).add(Column::of("name", names));
    co.regions.add(Column::of("latitude", lat)).add(Column::of("longitude", lon));
  }

  // People: one director, a manager per ~8 reps in each region, the reps.
  struct Rep {
    std::string id;
    std::size_t region;
    Date hire;
    std::optional<Date> termination;
    double skill;  // multiplies the win odds: the signal forecasting should find
  };
  std::vector<Rep> reps;
  Column p_id("payee_id", io::ColumnType::string), p_name("name", io::ColumnType::string),
      p_role("role", io::ColumnType::string), p_region("region_id", io::ColumnType::string),
      p_mgr("manager_id", io::ColumnType::string), p_hire("hire_date", io::ColumnType::date),
      p_term("termination_date", io::ColumnType::date);
  auto add_person = [&](const std::string& pid, const std::string& role, const std::string& region,
                        const std::string& manager, Date hire, std::optional<Date> term) {
    p_id.push(pid);
    p_name.push(person(rng));
    p_role.push(role);
    p_region.push(region);
    if (manager.empty()) p_mgr.push_null(); else p_mgr.push(manager);
    p_hire.push(hire);
    if (term) p_term.push(*term); else p_term.push_null();
  };
  add_person("E0001", "director", "", "", history_start - 2000, std::nullopt);
  std::size_t person_no = 2;
  for (std::size_t r = 0; r < n_regions; ++r) {
    const std::size_t region_reps = opt.reps / n_regions + (r < opt.reps % n_regions ? 1 : 0);
    const std::size_t n_mgr = (region_reps + 7) / 8;
    std::vector<std::string> managers;
    for (std::size_t m = 0; m < n_mgr; ++m) {
      managers.push_back(id("E", person_no++, 4));
      add_person(managers.back(), "manager", id("R", r + 1, 2), "E0001",
                 history_start - static_cast<std::int32_t>(400 + rng.below(1500)), std::nullopt);
    }
    for (std::size_t k = 0; k < region_reps; ++k) {
      Rep rep;
      rep.id = id("E", person_no++, 4);
      rep.region = r;
      // A fifth of the reps were hired during the history window (ramping), the rest before.
      const auto window = static_cast<std::int64_t>(opt.as_of - history_start);
      rep.hire = rng.bernoulli(0.2)
                     ? history_start + static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(window - 90)))
                     : history_start - static_cast<std::int32_t>(30 + rng.below(1800));
      if (rng.bernoulli(0.06)) {
        const Date t = rep.hire + static_cast<std::int32_t>(180 + rng.below(500));
        if (t < opt.as_of) rep.termination = t;
      }
      rep.skill = std::exp(rng.normal(0.0, 0.35));
      add_person(rep.id, "rep", id("R", r + 1, 2), managers[k % n_mgr], rep.hire, rep.termination);
      reps.push_back(rep);
    }
  }
  for (auto* c : {&p_id, &p_name, &p_role, &p_region, &p_mgr, &p_hire, &p_term}) {
    co.payees.add(std::move(*c));
  }

  // Products.
  {
    std::vector<std::string> ids, names, families, ccys;
    std::vector<Decimal> prices;
    for (const auto& p : product_seeds) {
      ids.emplace_back(p.id);
      names.emplace_back(p.name);
      families.emplace_back(p.family);
      prices.push_back(Decimal::from_units(p.list_cents, 2));
      ccys.push_back(ccy);
    }
    co.products.add(Column::of("product_id", ids)).add(Column::of("name", names));
    co.products.add(Column::of("family", families)).add(Column::of("list_price", prices));
    co.products.add(Column::of("currency", ccys));
  }

  // Accounts around their region's centre; potential is heavy-tailed like real account bases.
  struct Account {
    std::string id;
    std::size_t region;
    int segment;  // 0 SMB, 1 mid-market, 2 enterprise
    double potential;
    std::size_t owner;  // index into reps
  };
  std::vector<std::vector<std::size_t>> reps_by_region(n_regions);
  for (std::size_t i = 0; i < reps.size(); ++i) reps_by_region[reps[i].region].push_back(i);
  std::vector<Account> accounts;
  {
    const std::size_t n_accounts = opt.reps * opt.accounts_per_rep;
    std::vector<std::string> ids, names, regions, segments, inds, owners;
    std::vector<Decimal> lat, lon, potential;
    std::vector<std::int64_t> employees;
    constexpr std::array<const char*, 3> segment_names{"SMB", "Mid-Market", "Enterprise"};
    for (std::size_t a = 0; a < n_accounts; ++a) {
      Account acc;
      acc.id = id("A", a + 1, 6);
      acc.region = rng.below(n_regions);
      const double emp = std::round(rng.lognormal(4.5, 1.4)) + 1;
      acc.segment = emp < 200 ? 0 : emp < 2000 ? 1 : 2;
      acc.potential = 2000.0 * std::pow(emp, 0.8) * std::exp(rng.normal(0, 0.4));
      const auto& pool = reps_by_region[acc.region];
      acc.owner = pool[rng.below(pool.size())];
      ids.push_back(acc.id);
      names.push_back("Account " + std::to_string(a + 1));
      regions.push_back(id("R", acc.region + 1, 2));
      segments.emplace_back(segment_names[static_cast<std::size_t>(acc.segment)]);
      inds.emplace_back(industries[rng.below(industries.size())]);
      lat.push_back(coordinate(region_seeds[acc.region].lat + rng.normal(0, 1.2)));
      lon.push_back(coordinate(region_seeds[acc.region].lon + rng.normal(0, 1.6)));
      employees.push_back(static_cast<std::int64_t>(emp));
      potential.push_back(cents(acc.potential));
      owners.push_back(reps[acc.owner].id);
      accounts.push_back(acc);
    }
    co.accounts.add(Column::of("account_id", ids)).add(Column::of("name", names));
    co.accounts.add(Column::of("region_id", regions)).add(Column::of("segment", segments));
    co.accounts.add(Column::of("industry", inds)).add(Column::of("latitude", lat));
    co.accounts.add(Column::of("longitude", lon)).add(Column::of("employees", employees));
    co.accounts.add(Column::of("potential", potential)).add(Column::of("owner_id", owners));
  }

  // Opportunities: created through the history window; outcomes depend on segment, source,
  // product, deal size and the owner's skill, so a forecasting model has real signal to find.
  {
    Column d_id("deal_id", io::ColumnType::string), d_acc("account_id", io::ColumnType::string),
        d_owner("owner_id", io::ColumnType::string), d_prod("product_id", io::ColumnType::string),
        d_src("source", io::ColumnType::string), d_created("created_date", io::ColumnType::date),
        d_expected("expected_close_date", io::ColumnType::date),
        d_stage("stage", io::ColumnType::string), d_amount("amount", io::ColumnType::decimal),
        d_ccy("currency", io::ColumnType::string), d_close("close_date", io::ColumnType::date),
        d_outcome("outcome", io::ColumnType::string);
    Column t_id("transaction_id", io::ColumnType::string), t_deal("deal_id", io::ColumnType::string),
        t_payee("payee_id", io::ColumnType::string), t_acc("account_id", io::ColumnType::string),
        t_prod("product_id", io::ColumnType::string), t_type("type", io::ColumnType::string),
        t_date("date", io::ColumnType::date), t_amount("amount", io::ColumnType::decimal),
        t_ccy("currency", io::ColumnType::string);
    const auto window = static_cast<std::uint64_t>(opt.as_of - history_start);
    std::size_t deal_no = 0;
    std::size_t txn_no = 0;
    for (const auto& acc : accounts) {
      // Larger accounts buy more often.
      const double rate = (0.8 + 0.7 * acc.segment) * opt.history_years;
      const auto n_deals = static_cast<std::size_t>(rng.uniform(0.0, 2.0 * rate));
      for (std::size_t k = 0; k < n_deals; ++k) {
        const Date created = history_start + static_cast<std::int32_t>(rng.below(window));
        // The owner at creation; if that rep was not yet hired or had left, another in region.
        std::size_t owner = acc.owner;
        const auto& pool = reps_by_region[acc.region];
        for (int tries = 0; tries < 8 && (reps[owner].hire > created ||
                                          (reps[owner].termination && *reps[owner].termination <= created));
             ++tries) {
          owner = pool[rng.below(pool.size())];
        }
        const std::size_t prod = rng.below(product_seeds.size());
        const std::size_t src = rng.below(sources.size());
        const double size_factor = std::exp(rng.normal(0.35 * acc.segment, 0.5));
        const double amount = static_cast<double>(product_seeds[prod].list_cents) / 100.0 * size_factor;
        // Win odds: base by source, better in expansion and with skill, worse for big deals.
        const std::array<double, 4> src_logit{-0.2, -0.9, 0.1, 0.8};
        const double logit = src_logit[src] + std::log(reps[owner].skill) -
                             0.25 * std::log(size_factor) + 0.15 * (acc.segment == 1);
        const bool wins = rng.bernoulli(1.0 / (1.0 + std::exp(-logit)));
        const double cycle_mean = 35.0 + 40.0 * acc.segment + 25.0 * std::log1p(size_factor);
        const auto cycle = static_cast<std::int32_t>(std::max(7.0, rng.lognormal(std::log(cycle_mean), 0.45)));
        const auto planned = static_cast<std::int32_t>(std::max(14.0, cycle_mean * rng.uniform(0.6, 1.1)));
        const Date close = created + (wins ? cycle : static_cast<std::int32_t>(cycle * 0.8));
        const Decimal deal_amount = cents(std::max(500.0, amount));
        const std::string deal_id = id("D", ++deal_no, 7);
        d_id.push(deal_id);
        d_acc.push(acc.id);
        d_owner.push(reps[owner].id);
        d_prod.push(std::string(product_seeds[prod].id));
        d_src.push(std::string(sources[src]));
        d_created.push(created);
        d_expected.push(created + planned);
        d_amount.push(deal_amount);
        d_ccy.push(ccy);
        if (close < opt.as_of) {
          d_stage.push(std::string(wins ? "Closed Won" : "Closed Lost"));
          d_close.push(close);
          d_outcome.push(std::string(wins ? "won" : "lost"));
          if (wins) {
            t_id.push(id("T", ++txn_no, 7));
            t_deal.push(deal_id);
            t_payee.push(reps[owner].id);
            t_acc.push(acc.id);
            t_prod.push(std::string(product_seeds[prod].id));
            t_type.push(std::string("booking"));
            t_date.push(close);
            t_amount.push(deal_amount);
            t_ccy.push(ccy);
          }
        } else {
          // Still open on as_of: the stage reflects how far through its cycle the deal is.
          const double progress = static_cast<double>(opt.as_of - created) / std::max(1, cycle);
          const char* stage = progress < 0.25 ? "Prospecting"
                              : progress < 0.5 ? "Qualification"
                              : progress < 0.75 ? "Proposal" : "Negotiation";
          d_stage.push(std::string(stage));
          d_close.push_null();
          d_outcome.push(std::string("open"));
        }
      }
    }
    for (auto* c : {&d_id, &d_acc, &d_owner, &d_prod, &d_src, &d_created, &d_expected, &d_stage,
                    &d_amount, &d_ccy, &d_close, &d_outcome}) {
      co.opportunities.add(std::move(*c));
    }
    for (auto* c : {&t_id, &t_deal, &t_payee, &t_acc, &t_prod, &t_type, &t_date, &t_amount, &t_ccy}) {
      co.transactions.add(std::move(*c));
    }
  }

  // Quarterly quotas: a potential index. The average full-time quota is 115% of the average
  // rep's bookings in the last history year; each rep's is scaled by the square root of their
  // accounts' potential relative to the mean, rounded to 1,000.
  {
    std::vector<double> potential(reps.size(), 0.0);
    for (const auto& acc : accounts) potential[acc.owner] += acc.potential;
    double mean_potential = 0;
    for (double x : potential) mean_potential += x / static_cast<double>(reps.size());
    const Date last_year = opt.as_of.add_months(-12);
    double bookings = 0;
    const auto& t_date = co.transactions.values<Date>("date");
    const auto& t_amount = co.transactions.values<Decimal>("amount");
    for (std::size_t i = 0; i < t_date.size(); ++i) {
      if (t_date[i] >= last_year) bookings += t_amount[i].to_double();
    }
    const double base = 1.15 * bookings / static_cast<double>(reps.size()) / 4.0;
    Column q_payee("payee_id", io::ColumnType::string), q_start("period_start", io::ColumnType::date),
        q_quota("quota", io::ColumnType::decimal);
    Column a_payee("payee_id", io::ColumnType::string), a_from("from", io::ColumnType::date),
        a_to("to", io::ColumnType::date);
    const FiscalCalendar calendar;
    for (std::size_t i = 0; i < reps.size(); ++i) {
      const Rep& rep = reps[i];
      const double index = mean_potential > 0 ? std::sqrt(potential[i] / mean_potential) : 1.0;
      const auto quota = static_cast<std::int64_t>(std::llround(base * std::clamp(index, 0.5, 2.0) / 1000.0)) * 1000;
      const Date end = rep.termination ? *rep.termination : opt.as_of.add_months(12);
      for (const auto& q : calendar.periods({history_start, opt.as_of.add_months(12)}, PeriodKind::quarter)) {
        if (q.end <= rep.hire || q.begin >= end) continue;
        q_payee.push(rep.id);
        q_start.push(q.begin);
        q_quota.push(Decimal(std::max<std::int64_t>(quota, 1000)));
      }
      a_payee.push(rep.id);
      a_from.push(rep.hire);
      if (rep.termination) a_to.push(*rep.termination); else a_to.push_null();
    }
    co.quotas.add(std::move(q_payee)).add(std::move(q_start)).add(std::move(q_quota));
    co.assignments.add(std::move(a_payee)).add(std::move(a_from)).add(std::move(a_to));
  }
  return co;
}

}  // namespace spm::demo
