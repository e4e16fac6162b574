// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title ComplianceRegistry
/// @notice On-chain record of the exchange's zero-knowledge compliance proofs (合规证明). For each
/// circuit it holds the Groth16 verifier generated from the circuit's proving key (contracts/
/// generated/<Circuit>Verifier.sol) and the hash of its verification key; a proof is recorded
/// against a dataset version only after that verifier accepts it.
/// @dev The generated verifiers take their public signals as a fixed-length `uint256[N]`. Static
/// arrays are ABI-encoded in place, so calling `verifyProof(uint256[2],uint256[2][2],uint256[2],
/// uint256[N])` with the selector for N and the packed words of the proof and the signals is
/// exactly the call a Solidity caller with a `uint256[N]` would make: no adapter per circuit.
contract ComplianceRegistry is AccessControl {
    /// @notice May record proofs: the exchange, after checking that the public signals match the
    /// dataset version's commitment and declared rules.
    bytes32 public constant RECORDER_ROLE = keccak256("RECORDER_ROLE");

    struct Circuit {
        address verifier;
        bytes4 selector;
        uint16 publicSignalCount;
        bytes32 verificationKeyHash;
    }

    struct ComplianceRecord {
        bytes32 circuitId;
        bytes32 datasetId;
        uint64 version;
        uint64 recordedAt;
        address recorder;
        bytes32 verificationKeyHash;
    }

    mapping(bytes32 circuitId => Circuit) private _circuits;
    mapping(bytes32 proofHash => ComplianceRecord) private _records;

    /// @notice A circuit's verifier was registered, or replaced after a new ceremony contribution.
    /// @param circuitId keccak256 of the circuit's name (e.g. "rule_chunk")
    /// @param verifier the generated Groth16 verifier contract
    /// @param verificationKeyHash sha256 of the circuit's verification_key.json
    /// @param publicSignalCount the number of public signals the verifier takes
    event VerifierRegistered(
        bytes32 indexed circuitId, address verifier, bytes32 verificationKeyHash, uint256 publicSignalCount
    );

    /// @notice A proof was verified and recorded for a dataset version.
    /// @param proofHash the record's key, see `proofHashOf`
    /// @param circuitId the circuit the proof is for
    /// @param datasetId the exchange's id of the dataset (uuid, left-aligned)
    /// @param version the dataset version the proof is about
    /// @param publicSignals the statement proved, in the circuit's public signal order
    event ComplianceProofRecorded(
        bytes32 indexed proofHash,
        bytes32 indexed circuitId,
        bytes32 indexed datasetId,
        uint64 version,
        uint256[] publicSignals
    );

    /// @notice No verifier is registered for the circuit.
    /// @param circuitId the circuit id that was given
    error UnknownCircuit(bytes32 circuitId);

    /// @notice The circuit's verifier rejected the proof.
    /// @param circuitId the circuit the proof was for
    error InvalidProof(bytes32 circuitId);

    /// @notice The same statement is already recorded for this dataset version.
    /// @param proofHash the record's key, see `proofHashOf`
    error ProofAlreadyRecorded(bytes32 proofHash);

    /// @notice The number of public signals differs from what the circuit's verifier takes.
    /// @param circuitId the circuit the proof was for
    /// @param expected the verifier's number of public signals
    /// @param given the number of public signals passed
    error PublicSignalCountMismatch(bytes32 circuitId, uint256 expected, uint256 given);

    /// @notice A verifier address holds no contract code.
    /// @param verifier the address that was given
    error VerifierWithoutCode(address verifier);

    /// @notice A verifier was registered with no public signals, or more than 65535.
    /// @param publicSignalCount the count that was given
    error InvalidPublicSignalCount(uint256 publicSignalCount);

    /// @param admin the exchange operator's address; it holds the admin and recorder roles
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(RECORDER_ROLE, admin);
    }

    /// @notice Registers, or replaces, the verifier of a circuit. Records made under an earlier
    /// verifier keep the verification key hash they were verified with. Only an admin may call it.
    /// @param circuitId keccak256 of the circuit's name
    /// @param verifier the generated Groth16 verifier contract
    /// @param verificationKeyHash sha256 of the circuit's verification_key.json
    /// @param publicSignalCount the N of the verifier's `uint256[N]` public signals
    function registerVerifier(bytes32 circuitId, address verifier, bytes32 verificationKeyHash, uint256 publicSignalCount)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (verifier.code.length == 0) revert VerifierWithoutCode(verifier);
        if (publicSignalCount == 0 || publicSignalCount > type(uint16).max) {
            revert InvalidPublicSignalCount(publicSignalCount);
        }
        bytes4 selector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[",
                    Strings.toString(publicSignalCount),
                    "])"
                )
            )
        );
        _circuits[circuitId] = Circuit(verifier, selector, uint16(publicSignalCount), verificationKeyHash);
        emit VerifierRegistered(circuitId, verifier, verificationKeyHash, publicSignalCount);
    }

    /// @notice Verifies a Groth16 proof with the circuit's verifier and records it for a dataset
    /// version. Reverts with InvalidProof when the verifier rejects it and with
    /// ProofAlreadyRecorded when the statement is already recorded. Only a recorder may call it.
    /// @param circuitId keccak256 of the circuit's name
    /// @param datasetId the exchange's id of the dataset
    /// @param version the dataset version
    /// @param publicSignals the proof's public signals, in the circuit's order
    /// @param proof the proof as the verifier takes it: a.x, a.y, b.x (imaginary, real),
    /// b.y (imaginary, real), c.x, c.y
    /// @return proofHash the record's key
    function recordProof(
        bytes32 circuitId,
        bytes32 datasetId,
        uint64 version,
        uint256[] calldata publicSignals,
        uint256[8] calldata proof
    ) external onlyRole(RECORDER_ROLE) returns (bytes32 proofHash) {
        Circuit storage circuit = _circuits[circuitId];
        if (circuit.verifier == address(0)) revert UnknownCircuit(circuitId);
        if (publicSignals.length != circuit.publicSignalCount) {
            revert PublicSignalCountMismatch(circuitId, circuit.publicSignalCount, publicSignals.length);
        }
        proofHash = proofHashOf(circuitId, datasetId, version, publicSignals);
        if (_records[proofHash].recordedAt != 0) revert ProofAlreadyRecorded(proofHash);
        if (!_verify(circuit, proof, publicSignals)) revert InvalidProof(circuitId);

        _records[proofHash] = ComplianceRecord(
            circuitId, datasetId, version, uint64(block.timestamp), msg.sender, circuit.verificationKeyHash
        );
        emit ComplianceProofRecorded(proofHash, circuitId, datasetId, version, publicSignals);
    }

    /// @notice The key of a record: keccak256(abi.encode(circuitId, datasetId, version,
    /// publicSignals)). It names the statement, not the proof's bytes, so a re-randomised Groth16
    /// proof of a statement already recorded is a replay too.
    /// @param circuitId keccak256 of the circuit's name
    /// @param datasetId the exchange's id of the dataset
    /// @param version the dataset version
    /// @param publicSignals the proof's public signals
    function proofHashOf(bytes32 circuitId, bytes32 datasetId, uint64 version, uint256[] calldata publicSignals)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(circuitId, datasetId, version, publicSignals));
    }

    /// @notice The registered verifier of a circuit (zero values when unknown).
    /// @param circuitId keccak256 of the circuit's name
    function circuitOf(bytes32 circuitId) external view returns (Circuit memory) {
        return _circuits[circuitId];
    }

    /// @notice A recorded proof (zero values when none).
    /// @param proofHash the record's key, see `proofHashOf`
    function recordOf(bytes32 proofHash) external view returns (ComplianceRecord memory) {
        return _records[proofHash];
    }

    /// @notice Whether a proof with this key is recorded.
    /// @param proofHash the record's key, see `proofHashOf`
    function isRecorded(bytes32 proofHash) external view returns (bool) {
        return _records[proofHash].recordedAt != 0;
    }

    function _verify(Circuit storage circuit, uint256[8] calldata proof, uint256[] calldata publicSignals)
        private
        view
        returns (bool)
    {
        (bool success, bytes memory result) =
            circuit.verifier.staticcall(abi.encodePacked(circuit.selector, proof, publicSignals));
        return success && result.length == 32 && abi.decode(result, (bool));
    }
}
