//! The runtime APIs the node and clients call.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	configs::EpochDuration, opaque::SessionKeys, AccountId, Babe, Balance, Block, BlockNumber,
	DeviceIdentity, Executive, Grandpa, InherentDataExt, Nonce, ProofOfTrust, Runtime, RuntimeCall,
	RuntimeGenesisConfig, System, TransactionPayment, UivSharing, BABE_GENESIS_EPOCH_CONFIG,
	VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_babe::BabeApi<Block> for Runtime {
		fn configuration() -> sp_consensus_babe::BabeConfiguration {
			let epoch_config =
				pallet_babe::EpochConfig::<Runtime>::get().unwrap_or(BABE_GENESIS_EPOCH_CONFIG);
			sp_consensus_babe::BabeConfiguration {
				slot_duration: Babe::slot_duration(),
				epoch_length: EpochDuration::get(),
				c: epoch_config.c,
				authorities: Babe::authorities().to_vec(),
				randomness: pallet_babe::Randomness::<Runtime>::get(),
				allowed_slots: epoch_config.allowed_slots,
			}
		}

		fn current_epoch_start() -> sp_consensus_babe::Slot {
			Babe::current_epoch_start()
		}

		fn current_epoch() -> sp_consensus_babe::Epoch {
			Babe::current_epoch()
		}

		fn next_epoch() -> sp_consensus_babe::Epoch {
			Babe::next_epoch()
		}

		/// Key ownership is Proof of Trust's own (its current set), checked again on chain: the
		/// "proof" only tells the node that a report can be made (the slot, encoded).
		fn generate_key_ownership_proof(
			slot: sp_consensus_babe::Slot,
			authority_id: sp_consensus_babe::AuthorityId,
		) -> Option<sp_consensus_babe::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			ProofOfTrust::owns_babe_key(&authority_id)
				.then(|| sp_consensus_babe::OpaqueKeyOwnershipProof::new(slot.encode()))
		}

		/// The node's own report: an authorized `ProofOfTrust::report_equivocation_unsigned`.
		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_babe::EquivocationProof<<Block as BlockT>::Header>,
			_key_owner_proof: sp_consensus_babe::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			ProofOfTrust::submit_babe_report(equivocation_proof).then_some(())
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		/// The node's own report: an authorized
		/// `ProofOfTrust::report_finality_equivocation_unsigned`.
		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			ProofOfTrust::submit_finality_report(equivocation_proof).then_some(())
		}

		/// Key ownership is Proof of Trust's own (its GRANDPA key map, which keeps a leaving
		/// validator's keys while it unbonds), checked again on chain: the "proof" only tells the
		/// node that a report can be made (the set id, encoded).
		fn generate_key_ownership_proof(
			set_id: sp_consensus_grandpa::SetId,
			authority_id: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			ProofOfTrust::owns_grandpa_key(&authority_id)
				.then(|| sp_consensus_grandpa::OpaqueKeyOwnershipProof::new(set_id.encode()))
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl pallet_device_identity_runtime_api::DeviceIdentityApi<Block, AccountId, BlockNumber>
		for Runtime
	{
		fn device_status(
			device: pallet_device_identity_runtime_api::DeviceId,
		) -> Option<pallet_device_identity_runtime_api::DeviceReport<AccountId, BlockNumber>> {
			DeviceIdentity::device_report(&device)
		}

		fn challenge() -> Option<pallet_device_identity_runtime_api::ChallengeReport<BlockNumber>> {
			DeviceIdentity::challenge_report()
		}
	}

	impl pallet_proof_of_trust_runtime_api::ProofOfTrustApi<Block, AccountId> for Runtime {
		fn trust(who: AccountId) -> Option<pallet_proof_of_trust_runtime_api::TrustReport> {
			ProofOfTrust::trust_report(&who)
		}

		fn device_trust(
			device: pallet_proof_of_trust_runtime_api::DeviceId,
		) -> Option<pallet_proof_of_trust_runtime_api::TrustReport> {
			ProofOfTrust::device_trust_report(&device)
		}

		fn current_authorities() -> Vec<pallet_proof_of_trust_runtime_api::AuthorityReport<AccountId>> {
			ProofOfTrust::current_authorities()
		}

		fn next_authorities() -> Vec<pallet_proof_of_trust_runtime_api::AuthorityReport<AccountId>> {
			ProofOfTrust::next_authorities()
		}

		fn projected_authorities(
		) -> Option<Vec<pallet_proof_of_trust_runtime_api::AuthorityReport<AccountId>>> {
			ProofOfTrust::projected_authorities()
		}
	}

	impl pallet_uiv_sharing_runtime_api::UivSharingApi<Block, AccountId, Balance> for Runtime {
		fn case(
			case: pallet_uiv_sharing_runtime_api::CaseId,
		) -> Option<pallet_uiv_sharing_runtime_api::Case<AccountId, Balance>> {
			pallet_uiv_sharing::Cases::<Runtime>::get(case)
		}

		fn case_log(
			case: pallet_uiv_sharing_runtime_api::CaseId,
			from: u32,
			max: u32,
		) -> Vec<pallet_uiv_sharing_runtime_api::LogEntry> {
			UivSharing::case_log(case, from, max)
		}

		fn block_log(block: u32) -> Vec<pallet_uiv_sharing_runtime_api::LogEntry> {
			UivSharing::block_entries(block)
		}

		fn log_proof(
			case: pallet_uiv_sharing_runtime_api::CaseId,
			seq: u32,
		) -> Option<(
			pallet_uiv_sharing_runtime_api::LogEntry,
			u32,
			pallet_uiv_sharing_runtime_api::Proof,
		)> {
			UivSharing::log_proof(case, seq)
		}

		fn log_root(block: u32) -> Option<pallet_uiv_sharing_runtime_api::Hash> {
			pallet_uiv_sharing::LogRoots::<Runtime>::get(block)
		}

		fn access(
			case: pallet_uiv_sharing_runtime_api::CaseId,
			worker: AccountId,
		) -> Option<pallet_uiv_sharing_runtime_api::Access> {
			pallet_uiv_sharing::Accesses::<Runtime>::get(case, worker)
		}

		fn trace(
			case: pallet_uiv_sharing_runtime_api::CaseId,
			tracing_commitment: pallet_uiv_sharing_runtime_api::Hash,
		) -> Option<pallet_uiv_sharing_runtime_api::Trace<AccountId>> {
			pallet_uiv_sharing::Traces::<Runtime>::get(case, tracing_commitment)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();

			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<_> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// NOTE: intentional unwrap: we don't want to propagate the error backwards, and want to
			// have a backtrace here. If any of the pre/post migration checks fail, we shall stop
			// right here and right now.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			// NOTE: intentional unwrap: we don't want to propagate the error backwards, and want to
			// have a backtrace here.
			Executive::try_execute_block(block, state_root_check, signature_check, select).expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
